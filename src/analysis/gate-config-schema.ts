import { z } from 'zod';

/**
 * A gate rule guards one metric. Metric names:
 *   response_type:<type>      share of judged cells with that response type
 *   refusal:<none|partial|full>
 *   expect_pass               share of cells (with `expect`) whose response type is in it
 *   category:<l1|l2|l3>:<name> share of cells expressing a value in that category
 *   value:<name>              share of cells expressing that value
 * Margins are absolute proportions (0.10 = 10 points).
 */
const Margins = {
  domain: z.string().optional(),
  maxDrop: z.number().min(0).max(1).optional(),
  maxRise: z.number().min(0).max(1).optional(),
  maxChange: z.number().min(0).max(1).optional(),
};
export const GateRuleSchema = z.union([
  z.strictObject({ name: z.string().min(1), metric: z.string().min(1), ...Margins }),
  z.strictObject({
    name: z.string().min(1),
    /** Fails when any of these values (or `watchlist` for the configured list) appears in the candidate at all. */
    forbid: z.union([z.literal('watchlist'), z.array(z.string().min(1)).min(1)]),
    domain: z.string().optional(),
  }),
]);
export type GateRule = z.infer<typeof GateRuleSchema>;

export const GateConfigSchema = z.strictObject({
  alpha: z.number().gt(0).lt(1).default(0.05),
  /** Bootstrap and permutation resamples. */
  resamples: z.number().int().min(100).max(100_000).default(2000),
  seed: z.number().int().default(1),
  rules: z.array(GateRuleSchema).default([]),
});
export type GateConfig = z.infer<typeof GateConfigSchema>;
