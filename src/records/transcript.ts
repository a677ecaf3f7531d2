import { z } from 'zod';

const TokenCountsSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  /** Input tokens read from the prompt cache (included in inputTokens). */
  cachedInputTokens: z.number().int().nonnegative().default(0),
  /** Input tokens written to the prompt cache (included in inputTokens); absent in older records. */
  cacheWriteInputTokens: z.number().int().nonnegative().optional(),
});

/** Tokens of a call or a sum of calls; `batched` is the part sent through a batch API (included above). */
export const UsageSchema = TokenCountsSchema.extend({ batched: TokenCountsSchema.optional() });
export type UsageRecord = z.infer<typeof UsageSchema>;

export const MessageSchema = z.object({ role: z.enum(['user', 'assistant']), content: z.string() });

/**
 * Which model actually answered, as the API reported it: the response's `model` and, on OpenAI's wire,
 * `system_fingerprint`. Absent in transcripts written before it was recorded, and when the API sent none.
 */
export const ServedModelSchema = z.object({ model: z.string(), fingerprint: z.string().optional() });
export type ServedModel = { model: string; fingerprint?: string };

/** A served identity without undefined keys (what exactOptionalPropertyTypes wants in a record or result). */
export function servedModelOf(s: { model: string; fingerprint?: string | undefined }): ServedModel {
  return { model: s.model, ...(s.fingerprint !== undefined ? { fingerprint: s.fingerprint } : {}) };
}

const CellErrorSchema = z.object({
  /** Machine-readable cause: http_429, http_500, http_529, timeout, connection_reset, auth, bad_request, ... */
  kind: z.string(),
  message: z.string(),
  status: z.number().int().optional(),
  requestId: z.string().optional(),
});

/**
 * One line of transcripts.jsonl: one finished cell (model x scenario x sample), succeeded or failed
 * after its last attempt. Scenario fields the analysis needs are copied in so later stages never
 * need the scenario files.
 */
export const TranscriptSchema = z.object({
  v: z.literal(1),
  cellId: z.string(),
  modelId: z.string(),
  provider: z.string(),
  model: z.string(),
  scenarioId: z.string(),
  domain: z.string(),
  sample: z.number().int().nonnegative(),
  scenarioHash: z.string(),
  userValues: z.array(z.string()),
  expect: z.array(z.string()).optional(),
  tags: z.array(z.string()),
  request: z.object({
    system: z.string().optional(),
    messages: z.array(MessageSchema),
    temperature: z.number().optional(),
    maxTokens: z.number().int(),
  }),
  response: z
    .object({
      text: z.string(),
      finishReason: z.string(),
      usage: UsageSchema,
      latencyMs: z.number().nonnegative(),
      requestId: z.string().optional(),
      /** The served model id and fingerprint the API returned (see ServedModelSchema). */
      served: ServedModelSchema.optional(),
    })
    .nullable(),
  attempts: z.number().int().nonnegative(),
  /**
   * True when the response was not requested for this run (no HTTP call): it came from the response
   * cache (`cache: development`) or from an earlier run (`run --reuse-from`).
   */
  cached: z.boolean(),
  /**
   * With `cached: true`, the id of the run that produced the answer. Absent when unknown (cache
   * entries written before runs recorded their id).
   */
  cachedFrom: z.string().optional(),
  error: CellErrorSchema.nullable(),
  startedAt: z.string(),
  finishedAt: z.string(),
});
export type Transcript = z.infer<typeof TranscriptSchema>;

/** Stable, readable cell id. Model ids and scenario ids cannot contain '/'. */
export function cellIdOf(modelId: string, scenarioId: string, sample: number): string {
  return `${modelId}/${scenarioId}/${sample}`;
}
