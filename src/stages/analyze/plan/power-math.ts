import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { minimumDetectableEffect } from '../stats/mde.js';
import { studentTQuantile } from '../stats/t-quantile.js';

/**
 * The power plan's formulas (docs/statistics.md, "Power plan"). A metric's per-scenario rate p_s
 * varies between scenarios; one cell is a Bernoulli(p_s) draw. Two numbers describe it:
 *   within  = E[p_s (1 - p_s)]   the binomial variance of one cell, which samples average away;
 *   between = Var(p_s)           the spread of the scenarios' rates, which samples cannot shrink.
 * With mean p and intra-scenario correlation rho: within = p(1 - p)(1 - rho), between = p(1 - p) rho.
 */
export interface RateVariance {
  mean: number;
  within: number;
  between: number;
}

/**
 * The stated conservative default when no earlier run is given: p = 0.5 (the largest binomial
 * variance any rate can have) and rho = 0.3 (the low end of the 0.3-0.5 we assume for gated
 * response-type metrics; the paired design's variance falls as rho rises, so a low rho is the
 * cautious side). docs/statistics.md says why.
 */
export const DEFAULT_MEAN = 0.5;
export const DEFAULT_RHO = 0.3;

export function rateVariance(mean: number, rho: number): RateVariance {
  const pq = mean * (1 - mean);
  return { mean, within: pq * (1 - rho), between: pq * rho };
}

/** One rule's design: S scenarios in H strata, n samples per scenario per side, its accepted band. */
export interface RuleDesign {
  scenarios: number;
  strata: number;
  samples: number;
  alpha: number;
  /** Metric rules in the gate: BH's worst case asks a lone change for alpha / rules. */
  rules: number;
  /** Accepted changes [lower, upper] (an unguarded side is infinite); the margin in the rule's direction. */
  lower: number;
  upper: number;
  margin: number;
}

/** SE of the paired change between identical models: sqrt(2 within / (S n)) (stats/mde.ts, pairedNullSe). */
export function plannedSe(v: RateVariance, scenarios: number, samples: number): number {
  return Math.sqrt((2 * v.within) / (scenarios * samples));
}

/**
 * Half-width of the gate's (1 - alpha) interval of the change between identical models. The interval
 * (diff/paired-interval.ts) combines the sides' cluster intervals with their correlation shrunk by
 * df/(df + 1), so a share 1/(df + 1) of the between-scenario variance stays in it:
 *   h = t(1 - alpha, df) sqrt((2 within / n + 2 between / (df + 1)) / S),   df = S - H.
 */
export function plannedHalfWidth(v: RateVariance, d: Pick<RuleDesign, 'scenarios' | 'strata' | 'alpha'>, samples: number): number {
  const df = d.scenarios - d.strata;
  if (df < 1) return Number.POSITIVE_INFINITY;
  // Beyond 1,000 df the t quantile is the normal one to 4 digits (and the exact one costs O(df)).
  const t = df > 1000 ? normalQuantile(1 - d.alpha / 2, 0, 1) : studentTQuantile(1 - d.alpha, df);
  const within = Number.isFinite(samples) ? (2 * v.within) / samples : 0;
  return t * Math.sqrt((within + (2 * v.between) / (df + 1)) / d.scenarios);
}

/**
 * Probability that identical models PASS: the interval [D - h, D + h], D ~ N(0, SE^2), lies strictly
 * inside [lower, upper]: Phi((upper - h) / SE) - Phi((lower + h) / SE).
 */
export function passProbability(v: RateVariance, d: RuleDesign, samples = d.samples): number {
  if (d.lower >= d.upper || d.scenarios < 2) return 0;
  const h = plannedHalfWidth(v, d, samples);
  if (!Number.isFinite(h)) return 0;
  const se = Number.isFinite(samples) ? plannedSe(v, d.scenarios, samples) : 0;
  const cdf = (x: number) => (x === Number.POSITIVE_INFINITY ? 1 : x === Number.NEGATIVE_INFINITY ? 0 : normalCdf(x, 0, 1));
  if (se === 0) return d.lower + h < 0 && 0 < d.upper - h ? 1 : 0;
  return Math.max(0, cdf((d.upper - h) / se) - cdf((d.lower + h) / se));
}

/** The rule's MDE at 80% power, as metric-rules.ts computes it: alpha / rules, the rule's margin. */
export function plannedMde(v: RateVariance, d: RuleDesign): number | null {
  if (d.scenarios < 1) return null;
  return minimumDetectableEffect(plannedSe(v, d.scenarios, d.samples), d.alpha / Math.max(1, d.rules), 0.8, d.margin);
}

/** Smallest integer x in [lo, hi] with ok(x), for a monotone predicate (false ... false true ... true); null if none. */
function smallest(lo: number, hi: number, ok: (x: number) => boolean): number | null {
  if (!ok(hi)) return null;
  let a = lo;
  let b = hi;
  while (a < b) {
    const mid = Math.floor((a + b) / 2);
    if (ok(mid)) b = mid;
    else a = mid + 1;
  }
  return a;
}

const MAX_SAMPLES = 100_000;
const MAX_SCENARIOS = 10_000_000;

/**
 * Samples per scenario at which identical models PASS with probability `power` (>= 0.5, so the set
 * of such n is an up-set); null when no number of samples does it: the between-scenario part of the
 * interval alone reaches the margin (the scenarios are too few).
 */
export function samplesNeeded(v: RateVariance, d: RuleDesign, power = 0.8): number | null {
  if (passProbability(v, d, Number.POSITIVE_INFINITY) < power) return null;
  return smallest(1, MAX_SAMPLES, (n) => passProbability(v, d, n) >= power);
}

/** Scenarios (at the design's samples, same strata) at which identical models PASS with probability `power`; null if none. */
export function scenariosNeeded(v: RateVariance, d: RuleDesign, power = 0.8): number | null {
  return smallest(d.strata + 1, MAX_SCENARIOS, (s) => passProbability(v, { ...d, scenarios: s }, d.samples) >= power);
}
