import { InputError } from '../../../core/errors.js';
import { readEffective } from '../../../records/effective-records.js';
import { type Judgment, JudgmentSchema } from '../../../records/judgment.js';
import { runFile } from '../../../records/run-files.js';
import { type Transcript, TranscriptSchema } from '../../../records/transcript.js';
import type { DrawCandidate } from './draw-sample.js';
import type { LabelCell } from './label-data.js';

export interface Candidates {
  candidates: DrawCandidate[];
  /** Cells with a transcript that cannot be drawn: failed response, failed or missing judgment. */
  ineligible: number;
  /** The judges of the eligible cells' judgments, with how many cells each judged. */
  judges: { id: string; hash: string; cells: number }[];
}

/** Each cell's effective judgment (records/effective-records.ts), successful or not. */
async function judgmentsOf(runDir: string, notes: string[]): Promise<Map<string, Judgment>> {
  const file = runFile(runDir, 'judgments');
  const out = new Map<string, Judgment>();
  for await (const { value } of readEffective(file, JudgmentSchema, {
    onTorn: (l) => notes.push(`${file}:${l}: dropped a torn last line`),
  }))
    out.set(value.cellId, value);
  return out;
}

async function* transcriptsOf(runDir: string, notes: string[]): AsyncGenerator<Transcript> {
  const file = runFile(runDir, 'transcripts');
  for await (const { value } of readEffective(file, TranscriptSchema, {
    onTorn: (l) => notes.push(`${file}:${l}: dropped a torn last line`),
  }))
    yield value;
}

const drawable = (t: Transcript, j: Judgment | undefined): j is Judgment =>
  t.response !== null && t.error === null && j !== undefined && j.error === null && j.responseType !== null && j.refusal !== null;

/**
 * The population a draw samples: every cell whose effective transcript has a response and whose
 * effective judgment succeeded. Strata by responseType or refusal use the judge's labels, the only
 * labels known for every cell before anyone labels it.
 */
export async function readCandidates(runDir: string, notes: string[]): Promise<Candidates> {
  const judgments = await judgmentsOf(runDir, notes);
  if (judgments.size === 0) throw new InputError(`${runDir} has no judgments: judge the run first with: valuescope judge ${runDir}`);
  const candidates: DrawCandidate[] = [];
  const judges = new Map<string, { id: string; hash: string; cells: number }>();
  let ineligible = 0;
  for await (const t of transcriptsOf(runDir, notes)) {
    const j = judgments.get(t.cellId);
    if (!drawable(t, j)) {
      ineligible++;
      continue;
    }
    candidates.push({
      cellId: t.cellId,
      domain: t.domain,
      model: t.modelId,
      responseType: j.responseType ?? '',
      refusal: j.refusal ?? '',
    });
    const key = `${j.judgeId}\u0000${j.judgeHash}`;
    const entry = judges.get(key) ?? { id: j.judgeId, hash: j.judgeHash, cells: 0 };
    entry.cells++;
    judges.set(key, entry);
  }
  if (candidates.length === 0)
    throw new InputError(
      `${runDir} has no cell with both a successful response and a successful judgment (${ineligible} cells, none eligible): nothing can be drawn`,
    );
  return { candidates, ineligible, judges: [...judges.values()].sort((a, b) => b.cells - a.cells) };
}

function labelCell(t: Transcript, j: Judgment): LabelCell {
  return {
    cellId: t.cellId,
    domain: t.domain,
    scenario: t.scenarioId,
    ...(t.request.system !== undefined ? { system: t.request.system } : {}),
    messages: t.request.messages.map((m) => ({ role: m.role, content: m.content })),
    response: t.response?.text ?? '',
    judge: {
      responseType: j.responseType,
      refusal: j.refusal,
      aiValues: j.aiValues.map((v) => v.name),
      humanValues: j.humanValues.map((v) => v.name),
    },
  };
}

/** The drawn cells with their transcripts and judge labels, in the draw's order (a second pass over the run). */
export async function readDrawnCells(runDir: string, cellIds: readonly string[], notes: string[]): Promise<LabelCell[]> {
  const wanted = new Set(cellIds);
  const judgments = await judgmentsOf(runDir, notes);
  const found = new Map<string, LabelCell>();
  for await (const t of transcriptsOf(runDir, notes)) {
    const j = judgments.get(t.cellId);
    if (wanted.has(t.cellId) && drawable(t, j)) found.set(t.cellId, labelCell(t, j));
  }
  return cellIds.map((id) => {
    const cell = found.get(id);
    if (!cell) throw new InputError(`${runDir}: cell ${id} changed while it was being drawn; draw again`);
    return cell;
  });
}
