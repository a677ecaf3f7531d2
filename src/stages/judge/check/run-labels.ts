import { existsSync } from 'node:fs';
import { InputError } from '../../../core/errors.js';
import { type CellLabel, CellLabelSchema } from '../../../records/cell-label.js';
import { readEffective } from '../../../records/effective-records.js';
import { runFile } from '../../../records/run-files.js';
import { TranscriptSchema } from '../../../records/transcript.js';
import { readJsonl } from '../../../util/jsonl.js';
import type { GoldEntry, GoldFile } from './gold-files.js';

/** Who labelled an imported run's cells, as far as judge-check can tell: the dataset. */
const IMPORTED_ANNOTATOR = 'imported labels';

/**
 * The gold a run carries itself: labels.jsonl (written by `import --label-column`), each label joined
 * with its cell's transcript so the item reads like a gold-file line with `id` = `cellId`.
 */
export async function readRunLabels(runDir: string, runId: string): Promise<GoldFile> {
  const file = runFile(runDir, 'labels');
  if (!existsSync(file))
    throw new InputError(
      `${runDir} carries no labels (no labels.jsonl): pass a gold file, or import the data with --label-column (docs/import.md)`,
      { file },
    );
  const labels = new Map<string, CellLabel & { line: number }>();
  for await (const { value, line } of readJsonl(file, CellLabelSchema)) {
    if (labels.has(value.cellId))
      throw new InputError(
        `a second label for cell ${value.cellId} (first at line ${labels.get(value.cellId)!.line}): re-import the data`,
        {
          file,
          line,
        },
      );
    labels.set(value.cellId, { ...value, line });
  }
  const entries: GoldEntry[] = [];
  for await (const { value: t } of readEffective(runFile(runDir, 'transcripts'), TranscriptSchema, { onTorn: () => undefined })) {
    const l = labels.get(t.cellId);
    if (!l || !t.response) continue;
    const gold = { ...(l.responseType ? { responseType: l.responseType } : {}), ...(l.refusal ? { refusal: l.refusal } : {}) };
    entries.push({
      line: l.line,
      item: {
        id: t.cellId,
        cellId: t.cellId,
        runId,
        ...(t.request.system !== undefined ? { system: t.request.system } : {}),
        messages: t.request.messages,
        response: t.response.text,
        domain: t.domain,
        gold,
      },
    });
  }
  entries.sort((a, b) => a.line - b.line);
  return { file, annotator: IMPORTED_ANNOTATOR, entries };
}
