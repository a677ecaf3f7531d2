import { DEFAULT_MEAN, DEFAULT_RHO, type RuleDesign, rateVariance, samplesNeeded, scenariosNeeded } from '../plan/power-math.js';
import { varianceFromCounts } from '../plan/run-variance.js';
import { domainStrata } from '../stats/cluster-interval.js';

/** What would make an inconclusive rule decidable, and the design it was computed for. */
export interface DecideFigures {
  /** Samples per scenario per side at which identical models PASS with 80% probability; null: samples cannot do it. */
  samples: number | null;
  /** Scenarios (at the current samples) that would; null: none would. */
  scenarios: number | null;
  now: { scenarios: number; samples: number };
  /** The base side never (or always) showed the metric: the plan's stated default variance was used. */
  assumed: boolean;
}

/**
 * The power plan's answer (plan/power-math.ts, the same model `valuescope plan --from RUN` uses),
 * with this gate's base side as the earlier run: its per-scenario rates give the within- and
 * between-scenario variance, the rule's scope gives scenarios and strata. One model for the advice
 * and the plan, and the one the interval itself follows (the share of between-scenario variance the
 * paired interval keeps), so the advice is never "more samples" where samples cannot help.
 */
export function decideFigures(o: {
  perScenario: readonly { kA: number; nA: number }[];
  /** Domain of each perScenario entry. */
  domains: readonly string[];
  band: { lower: number; upper: number };
  margin: number;
  alpha: number;
  rules: number;
}): DecideFigures | null {
  const used = o.perScenario.flatMap((s, i) => (s.nA > 0 ? [{ k: s.kA, n: s.nA, domain: o.domains[i] ?? '' }] : []));
  if (used.length < 2 || !(o.band.lower < o.band.upper)) return null;
  const variance = varianceFromCounts(used)?.variance ?? null;
  const strata = domainStrata(used.map((u) => u.domain)).count;
  const cells = used.reduce((a, u) => a + u.n, 0);
  const now = { scenarios: used.length, samples: Math.max(1, Math.round(cells / used.length)) };
  const d: RuleDesign = { ...now, strata, alpha: o.alpha, rules: o.rules, ...o.band, margin: o.margin };
  const v = variance ?? rateVariance(DEFAULT_MEAN, DEFAULT_RHO);
  return { samples: samplesNeeded(v, d), scenarios: scenariosNeeded(v, d), now, assumed: variance === null };
}
