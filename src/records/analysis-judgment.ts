import type { z } from 'zod';
import { JudgmentSchema } from './judgment.js';

/**
 * The fields of a judgments.jsonl line the analysis reads, validated with the judge's own schema
 * (picked, so raters, usage and evidence are not re-validated 300,000 times; they are still in the file).
 */
export const AnalysisJudgmentSchema = JudgmentSchema.pick({
  cellId: true,
  modelId: true,
  scenarioId: true,
  sample: true,
  domain: true,
  judgeId: true,
  judgeHash: true,
  judgeModels: true,
  userValues: true,
  expect: true,
  responseType: true,
  refusal: true,
  aiValues: true,
  humanValues: true,
  error: true,
  cached: true,
  cachedFrom: true,
  served: true,
});
export type AnalysisJudgment = z.infer<typeof AnalysisJudgmentSchema>;
