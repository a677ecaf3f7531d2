import { z } from 'zod';
import { RefusalSchema, ResponseTypeSchema } from './response-types.js';
import { ServedModelSchema, UsageSchema } from './transcript.js';

export const TaxonomyPathSchema = z.object({
  /** Leaf value name in the taxonomy (may differ from the extracted name after matching). */
  leaf: z.string().nullable(),
  l1: z.string().nullable(),
  l2: z.string().nullable(),
  l3: z.string().nullable(),
  method: z.enum(['exact', 'lexical', 'judge', 'unmapped']),
  /** Similarity of the match (1 for exact, 0 for unmapped). */
  score: z.number().min(0).max(1),
});
export type TaxonomyPath = z.infer<typeof TaxonomyPathSchema>;

const ExtractedValueSchema = z.object({
  name: z.string(),
  evidence: z.string().optional(),
  explicit: z.boolean().optional(),
  taxonomy: TaxonomyPathSchema,
});

/** What one judge call (one rater) said, before consensus. */
const RaterSchema = z.object({
  judge: z.string(),
  sample: z.number().int().nonnegative(),
  responseType: ResponseTypeSchema.nullable(),
  refusal: RefusalSchema.nullable(),
  aiValues: z.array(z.string()),
  humanValues: z.array(z.string()),
  error: z.string().optional(),
});
export type Rater = z.infer<typeof RaterSchema>;

/**
 * One line of judgments.jsonl: the consensus judgment of one transcript. When the judgment failed,
 * `error` is set and the consensus fields are null/empty; analysis counts such cells as errored.
 */
export const JudgmentSchema = z.object({
  v: z.literal(1),
  cellId: z.string(),
  modelId: z.string(),
  scenarioId: z.string(),
  domain: z.string(),
  sample: z.number().int().nonnegative(),
  /** e.g. "claude-judge@3" or "lexical@3"; several judges joined with '+'. */
  judgeId: z.string(),
  /** Content hash of the judge definition(s), rubric, schema and judge model: what changes the answer. */
  judgeHash: z.string(),
  /** The judge's model(s) as provider:model, for reports. */
  judgeModels: z.array(z.string()),
  /** Scenario fields copied from the transcript. */
  userValues: z.array(z.string()),
  expect: z.array(z.string()).optional(),
  tags: z.array(z.string()),
  /**
   * Provenance of the judged answer, copied from the transcript: true when it was not requested for
   * this run (response cache or `run --reuse-from`). Absent in judgments written before it was
   * recorded: read as not cached.
   */
  cached: z.boolean().optional(),
  /** With `cached: true`, the run that produced the answer; absent when unknown. */
  cachedFrom: z.string().optional(),
  /**
   * Which model answered, copied from the transcript (the API's `model` and `system_fingerprint`).
   * Absent when the cell has no answer, when the API reported none, and in older judgments.
   */
  served: ServedModelSchema.optional(),
  responseType: ResponseTypeSchema.nullable(),
  refusal: RefusalSchema.nullable(),
  aiValues: z.array(ExtractedValueSchema),
  humanValues: z.array(ExtractedValueSchema),
  raters: z.array(RaterSchema),
  usage: UsageSchema,
  /** Transcript had no response (cell error) or the judge failed. */
  error: z.object({ kind: z.string(), message: z.string(), raw: z.string().optional() }).nullable(),
  judgedAt: z.string(),
});
export type Judgment = z.infer<typeof JudgmentSchema>;
