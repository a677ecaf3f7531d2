import { existsSync } from 'node:fs';
import { InputError } from '../../../core/errors.js';
import { AnalysisJudgmentSchema } from '../../../records/analysis-judgment.js';
import { readEffective } from '../../../records/effective-records.js';
import { runFile } from '../../../records/run-files.js';
import type { CheckReport, ScoredItem } from './check-metrics.js';
import type { GoldItem } from './gold-schema.js';
import { scoreItem } from './score-item.js';

export interface RunScores {
  judgeId: string;
  judgeModels: string[];
  scored: ScoredItem[];
  notScored: CheckReport['notScored'];
}

/**
 * Scores the run's recorded judgments (each cell's effective line) against the gold items that name
 * a cell, without calling any judge. An item without `cellId`, or whose cell has no successful
 * judgment, is listed as not scored.
 */
export async function scoreRunJudgments(runDir: string, items: readonly GoldItem[], key: (name: string) => string): Promise<RunScores> {
  const file = runFile(runDir, 'judgments');
  if (!existsSync(file))
    throw new InputError(
      `${runDir} holds no judgments: judge it first (valuescope judge ${runDir}), or leave out --run to call the judge on the gold items`,
      { file },
    );
  const wanted = new Set(items.flatMap((i) => (i.cellId ? [i.cellId] : [])));
  const found = new Map<string, (typeof AnalysisJudgmentSchema)['_output']>();
  let judge: { judgeId: string; judgeModels: string[] } | undefined;
  for await (const { value } of readEffective(file, AnalysisJudgmentSchema, { onTorn: () => undefined })) {
    judge ??= { judgeId: value.judgeId, judgeModels: value.judgeModels };
    if (wanted.has(value.cellId)) found.set(value.cellId, value);
  }
  const scored: ScoredItem[] = [];
  const notScored: RunScores['notScored'] = [];
  for (const item of items) {
    const j = item.cellId ? found.get(item.cellId) : undefined;
    if (!item.cellId) notScored.push({ id: item.id, reason: 'no cellId: the item names no cell of the run' });
    else if (!j) notScored.push({ id: item.id, reason: `cell ${item.cellId} is not in the run's judgments` });
    else if (j.error) notScored.push({ id: item.id, reason: `the run's judgment of ${item.cellId} failed (${j.error.kind})` });
    else
      scored.push(
        scoreItem(
          { ...item, domain: item.domain ?? j.domain },
          { ...j, aiValues: j.aiValues.map((v) => v.name), humanValues: j.humanValues.map((v) => v.name) },
          key,
        ),
      );
  }
  return { judgeId: judge?.judgeId ?? 'unknown', judgeModels: judge?.judgeModels ?? [], scored, notScored };
}
