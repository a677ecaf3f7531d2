import { KeyCache } from '../../records/cell-features.js';
import { readEffective, replaces } from '../../records/effective-records.js';
import { type Judgment, JudgmentSchema } from '../../records/judgment.js';
import { runFile } from '../../records/run-files.js';
import { TranscriptSchema } from '../../records/transcript.js';
import { readJsonl } from '../../util/jsonl.js';
import type { TranscriptCell } from './transcript-cell.js';
import { addJudgment, type JudgedContext } from './transcript-judged.js';

export interface CellSource {
  runDir: string;
  /** Only this model's cells (diff sides); null = every model. */
  modelId: string | null;
  /** Label shown for the model; defaults to the model id. */
  label?: string;
  /** The diff side these cells are from (a run report has none). */
  side?: 'base' | 'cand';
  /**
   * Prefix of the page's cell ids ("base:" / "cand:") when both sides share a model id, so their
   * cells (same cell id in two runs) stay two cells in the page, its links and its examples.
   */
  idPrefix?: string;
}

export interface StreamCellsOptions {
  /** Watch-list entries (normalised names): a cell's hits are marked for the browser's filter. */
  watchlist?: ReadonlySet<string>;
  /** Scenario ids that changed between the diff's sides: their cells get `changed: true`. */
  changedScenarios?: ReadonlySet<string>;
}

/**
 * Streams transcripts.jsonl (each cell's effective line) and joins it with its judgment (judgments are held in a map,
 * transcripts never are: `onCell` receives them one at a time).
 */
export async function streamCells(
  src: CellSource,
  onCell: (cell: TranscriptCell) => void,
  notes: string[],
  opts: StreamCellsOptions = {},
): Promise<number> {
  const ctx: JudgedContext = { watchlist: opts.watchlist ?? new Set(), keys: new KeyCache() };
  const judgments = new Map<string, Judgment>();
  const jfile = runFile(src.runDir, 'judgments');
  for await (const { value } of readJsonl(jfile, JudgmentSchema, {
    onTorn: (l) => notes.push(`${jfile}:${l}: dropped a torn last line`),
  })) {
    if (src.modelId !== null && value.modelId !== src.modelId) continue;
    // Each cell's effective judgment (records/effective-records.ts): a failed one gives way to a re-attempt.
    const prior = judgments.get(value.cellId);
    if (!prior || replaces(prior)) judgments.set(value.cellId, value);
  }
  let count = 0;
  const tfile = runFile(src.runDir, 'transcripts');
  for await (const { value: t } of readEffective(tfile, TranscriptSchema, {
    onTorn: (l) => notes.push(`${tfile}:${l}: dropped a torn last line`),
  })) {
    if (src.modelId !== null && t.modelId !== src.modelId) continue;
    const j = judgments.get(t.cellId);
    const cell: TranscriptCell = {
      id: (src.idPrefix ?? '') + t.cellId,
      model: src.label ?? t.modelId,
      domain: t.domain,
      scenario: t.scenarioId,
      sample: t.sample,
      messages: t.request.messages.map((m) => ({ role: m.role, text: m.content })),
      response: t.response?.text ?? null,
      userValues: t.userValues,
    };
    if (t.request.system !== undefined) cell.system = t.request.system;
    if (t.error) cell.error = `${t.error.kind}: ${t.error.message}`;
    if (src.side !== undefined) cell.side = src.side;
    if (t.expect !== undefined && t.expect.length > 0) cell.expect = t.expect;
    if (opts.changedScenarios?.has(t.scenarioId)) cell.changed = true;
    if (j) addJudgment(cell, j, ctx);
    onCell(cell);
    count++;
  }
  return count;
}
