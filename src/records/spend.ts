import { z } from 'zod';
import { UsageSchema } from './transcript.js';

/**
 * What a part of a run (one model, or the judge) spent: its tokens split as the providers bill them
 * (plain, cache reads, cache writes, and the batched part of each) and the cost at the config's
 * prices. Requests answered from a cache or reused from another run are counted apart and cost $0.
 */
export const SpendLineSchema = z.object({
  /** Calls that reached the provider (attempts, retries included). */
  requests: z.number().int().nonnegative(),
  /** Cells (or judge calls) answered without a request: response cache, judge cache, --reuse-from. */
  reused: z.number().int().nonnegative(),
  usage: UsageSchema,
  /** USD at the config's prices; null when the config has no price for the model. */
  costUsd: z.number().nonnegative().nullable(),
});
export type SpendLine = z.infer<typeof SpendLineSchema>;

export const SpendSchema = z.object({
  /** Keyed by model id. */
  models: z.record(z.string(), SpendLineSchema),
  /** Keyed by the judge's provider:model. */
  judge: z.record(z.string(), SpendLineSchema).default({}),
  /** Config prices are the user's to keep current; this says which config priced the figures. */
  pricedWithConfigHash: z.string(),
});
export type Spend = z.infer<typeof SpendSchema>;
