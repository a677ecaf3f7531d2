import { z } from 'zod';
import { RESPONSE_TYPES } from '../records/response-types.js';

/**
 * A gate rule guards one metric (names as in profile.json, see src/records/profile.ts):
 *   response_type:<type>              share of judged cells with that response type
 *   refusal:<none|partial|full>       share of judged cells with that refusal level
 *   refusal_rate                      share of judged cells with a partial or full refusal
 *   expect_pass                       share of cells (with `expect`) whose response type is in it
 *   any_value                         share of cells expressing at least one value
 *   mirroring                         share of cells with user-stated values that mirror one of them
 *   user_values:response_type:<type>  response-type share among cells where the user states values
 *   category:<l1|l2|l3>:<name>        share of cells expressing a value in that category
 *   value:<name>                      share of cells expressing that value (normalised name)
 * Margins are absolute proportions (0.10 = 10 points). A rule fails when the change is beyond its
 * margin AND significant (BH-adjusted q < alpha across the gate's metric rules), passes only when
 * the (1 - alpha) interval of the change lies inside the margin, and is inconclusive otherwise; a
 * rule without a margin can fail but never pass. See docs/statistics.md, "Three verdicts".
 */
const TYPES = RESPONSE_TYPES.join('|');
const METRIC = new RegExp(
  `^(response_type:(${TYPES})|user_values:response_type:(${TYPES})|refusal:(none|partial|full)|refusal_rate|expect_pass|any_value|mirroring|category:l[123]:.+|value:.+)$`,
);

const Margins = {
  domain: z.string().optional(),
  maxDrop: z.number().min(0).max(1).optional(),
  maxRise: z.number().min(0).max(1).optional(),
  maxChange: z.number().min(0).max(1).optional(),
};
const GateRuleSchema = z.union([
  z.strictObject({
    name: z.string().min(1),
    metric: z
      .string()
      .regex(
        METRIC,
        'unknown metric: use response_type:<type>, refusal:<none|partial|full>, refusal_rate, expect_pass, any_value, mirroring, user_values:response_type:<type>, category:<l1|l2|l3>:<name> or value:<name>',
      ),
    ...Margins,
  }),
  z.strictObject({
    name: z.string().min(1),
    /** Fails when any of these values (or `watchlist` for the configured list) appears in the candidate at all. */
    forbid: z.union([z.literal('watchlist'), z.array(z.string().min(1)).min(1)]),
    domain: z.string().optional(),
  }),
]);
export type GateRule = z.infer<typeof GateRuleSchema>;

/**
 * The statistical settings' defaults, spelled once: the schema below applies them to config.yaml, and
 * `profile` / `diff` run without `--config` use them too (src/app/analysis-options.ts), so a diff and
 * a gate on the same data compute the same intervals.
 */
export const GATE_DEFAULTS = { alpha: 0.05, resamples: 2000, seed: 1, maxJudgeErrorShare: 0.05 } as const;

export const GateConfigSchema = z.strictObject({
  alpha: z.number().gt(0).lt(1).default(GATE_DEFAULTS.alpha),
  /** Permutation resamples (the gate's Monte Carlo p-values; the diff's Jensen-Shannon distance p-values). */
  resamples: z.number().int().min(100).max(100_000).default(GATE_DEFAULTS.resamples),
  seed: z.number().int().default(GATE_DEFAULTS.seed),
  /**
   * profile, diff and gate refuse a side whose judged cells failed to be judged more often than
   * this (the statistics would rest on the cells the judge could read); --allow-incomplete overrides.
   */
  maxJudgeErrorShare: z.number().min(0).max(1).default(GATE_DEFAULTS.maxJudgeErrorShare),
  /**
   * What an inconclusive metric rule (neither beyond its margin and significant, nor with its
   * (1 - alpha) interval inside the margin) does to the exit code: fail (exit 1, the default: a
   * safety gate does not pass blind) or pass (exit 0; the verdict still says INCONCLUSIVE).
   */
  onInconclusive: z.enum(['fail', 'pass']).default('fail'),
  /**
   * When base and candidate share a configured model name but no served identity (the `model` and
   * `system_fingerprint` the API reported): warn (the default: a warning in gate.json and the summary)
   * or fail (also a failing "served model unchanged" entry among the rules: exit 1). A side that mixes
   * served identities is always only warned about.
   */
  onServedModelChange: z.enum(['warn', 'fail']).default('warn'),
  /**
   * Which estimates metric rules decide on: judge (the default: the judge's reading of every cell) or
   * corrected (judge-corrected by the human labels of judge.labels or --labels, docs/statistics.md
   * "Judge-corrected estimates"; a rule whose metric has too few labels is inconclusive and says why).
   */
  decideOn: z.enum(['judge', 'corrected']).default('judge'),
  rules: z
    .array(GateRuleSchema)
    .default([])
    .superRefine((rules, ctx) => {
      const seen = new Set<string>();
      rules.forEach((r, i) => {
        if (seen.has(r.name))
          ctx.addIssue({
            code: 'custom',
            path: [i, 'name'],
            message: `duplicate rule name "${r.name}": rule names must be unique (they name the JUnit test cases)`,
          });
        seen.add(r.name);
      });
    }),
});
export type GateConfig = z.infer<typeof GateConfigSchema>;
