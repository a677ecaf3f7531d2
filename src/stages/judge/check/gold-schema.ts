import { z } from 'zod';
import { RefusalSchema, ResponseTypeSchema } from '../../../records/response-types.js';
import { MessageSchema, type Transcript } from '../../../records/transcript.js';

/**
 * One line of a gold file for `valuescope judge-check` (documented in docs/judge-check.md). Each
 * labelled field is optional: a field left out of `gold` is not scored for that item. The labelling
 * page (`valuescope label`) writes this shape too, with `id` = `cellId` and the provenance fields set.
 */
export const GoldItemSchema = z.strictObject({
  id: z.string().min(1),
  /** The run cell the item was drawn from: with `judge-check --run RUN`, the run's own judgment of it is scored. */
  cellId: z.string().min(1).optional(),
  /** The run the cell belongs to (its manifest's runId); checked against `--run`. */
  runId: z.string().min(1).optional(),
  /** Who labelled the item; one annotator per file (judge-check combines several files). */
  annotator: z.string().min(1).optional(),
  /** When it was labelled, ISO 8601. */
  labelledAt: z.iso.datetime({ offset: true }).optional(),
  /** The labelling page: the answer was changed after the judge's labels were shown (possible anchoring). */
  revisedAfterReveal: z.literal(true).optional(),
  system: z.string().optional(),
  /** The conversation before the judged response (at least the user's turn). */
  messages: z.array(MessageSchema).min(1),
  /** The final assistant response being judged. */
  response: z.string(),
  gold: z.strictObject({
    responseType: ResponseTypeSchema.optional(),
    refusal: RefusalSchema.optional(),
    aiValues: z.array(z.string().min(1)).optional(),
    humanValues: z.array(z.string().min(1)).optional(),
  }),
  domain: z.string().optional(),
  note: z.string().optional(),
});
export type GoldItem = z.infer<typeof GoldItemSchema>;

/** A gold item as the transcript the judge sees; the judge cannot tell it from a run's transcript. */
export function goldTranscript(item: GoldItem, now: Date): Transcript {
  const at = now.toISOString();
  return {
    v: 1,
    cellId: `gold/${item.id}/0`,
    modelId: 'gold',
    provider: 'gold',
    model: 'gold',
    scenarioId: item.id,
    domain: item.domain ?? 'gold',
    sample: 0,
    scenarioHash: '',
    userValues: [],
    tags: [],
    request: { ...(item.system !== undefined ? { system: item.system } : {}), messages: item.messages, maxTokens: 1 },
    response: { text: item.response, finishReason: 'stop', usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 }, latencyMs: 0 },
    attempts: 1,
    cached: false,
    error: null,
    startedAt: at,
    finishedAt: at,
  };
}
