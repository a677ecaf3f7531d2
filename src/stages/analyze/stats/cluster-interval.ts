import { studentTQuantile } from './t-quantile.js';

/**
 * Small-sample intervals for proportions estimated from clustered cells (docs/statistics.md,
 * "Intervals"). A proportion is the ratio sum_s k_s / sum_s n_s over scenarios (clusters); its
 * variance is estimated by linearisation, u_s = (k_s - p n_s) / N, between scenarios within strata:
 *   V = sum_h S_h/(S_h - 1) * sum_{s in h} (u_s - mean_h u)^2,   df = S - H.
 * A share's interval is a Wilson score interval with the t quantile and the effective sample size
 * p(1 - p)/V (capped at N); a paired difference combines both sides' limits by MOVER.
 */

/** Strata with fewer scenarios than this are not used alone (their variance is not estimable). */
const MIN_STRATUM_SCENARIOS = 5;

/**
 * Stratum ordinals after merging small strata: strata with >= `min` scenarios stay; the smaller ones
 * are pooled into one stratum, which joins the smallest large stratum when it is itself too small;
 * with no large stratum everything is one stratum.
 */
export function mergeSmallStrata(strata: readonly number[], min = MIN_STRATUM_SCENARIOS): Int32Array {
  const size = new Map<number, number>();
  for (const s of strata) size.set(s, (size.get(s) ?? 0) + 1);
  const large = [...size.keys()].filter((s) => (size.get(s) as number) >= min).sort((a, b) => a - b);
  if (large.length === 0) return new Int32Array(strata.length);
  const ordinal = new Map(large.map((s, i) => [s, i]));
  const pooled = strata.filter((s) => !ordinal.has(s)).length;
  let smallest = 0;
  large.forEach((s, i) => {
    if ((size.get(s) as number) < (size.get(large[smallest] as number) as number)) smallest = i;
  });
  const pool = pooled >= min ? large.length : smallest;
  return Int32Array.from(strata, (s) => ordinal.get(s) ?? pool);
}

/**
 * The strata of scenarios given each one's domain: one per domain (in sorted name order), small
 * domains merged as mergeSmallStrata says; `count` strata in all. Profile, diff, gate and plan all
 * stratify through this, so the interval, its advice and the plan agree on the design.
 */
export function domainStrata(domains: readonly string[]): { strata: Int32Array; count: number } {
  const names = [...new Set(domains)].sort();
  const strata = mergeSmallStrata(domains.map((d) => names.indexOf(d)));
  return { strata, count: strata.reduce((m, h) => Math.max(m, h + 1), 0) };
}

/** Per-stratum denominator sums: clusters with n > 0, sum n, sum n^2. */
export interface DenMoments {
  c: Float64Array;
  n: Float64Array;
  nn: Float64Array;
}

/** Per-stratum numerator sums: sum k, sum k^2, sum k*n; and (all strata) scenarios with k > 0 and with k = n. */
export interface NumMoments {
  k: Float64Array;
  kk: Float64Array;
  kn: Float64Array;
  withEvents: number;
  complete: number;
}

export function denMoments(strata: number): DenMoments {
  return { c: new Float64Array(strata), n: new Float64Array(strata), nn: new Float64Array(strata) };
}

export function numMoments(strata: number): NumMoments {
  return { k: new Float64Array(strata), kk: new Float64Array(strata), kn: new Float64Array(strata), withEvents: 0, complete: 0 };
}

export function addDen(m: DenMoments, h: number, n: number): void {
  if (n <= 0) return;
  m.c[h]! += 1;
  m.n[h]! += n;
  m.nn[h]! += n * n;
}

export function addNum(m: NumMoments, h: number, k: number, n: number): void {
  m.k[h]! += k;
  m.kk[h]! += k * k;
  m.kn[h]! += k * n;
  if (k > 0) m.withEvents++;
  if (n > 0 && k >= n) m.complete++;
}

/** A ratio estimate with its linearised between-scenario variance. */
export interface Linearised {
  p: number;
  v: number;
  /** Scenarios with n > 0. */
  clusters: number;
  df: number;
  total: number;
  /** Scenarios that saw the feature, or scenarios that did not, whichever is fewer: what the variance rests on. */
  informative: number;
}

export function linearise(den: DenMoments, num: NumMoments): Linearised | null {
  let N = 0;
  let K = 0;
  for (let h = 0; h < den.n.length; h++) {
    N += den.n[h] as number;
    K += num.k[h] as number;
  }
  if (N <= 0) return null;
  const p = K / N;
  let v = 0;
  let S = 0;
  let H = 0;
  for (let h = 0; h < den.c.length; h++) {
    const c = den.c[h] as number;
    if (c < 1) continue;
    S += c;
    H++;
    if (c < 2) continue;
    const ss = (num.kk[h] as number) - 2 * p * (num.kn[h] as number) + p * p * (den.nn[h] as number);
    const m = (num.k[h] as number) - p * (den.n[h] as number);
    v += (c / (c - 1)) * Math.max(0, ss - (m * m) / c);
  }
  return { p, v: v / (N * N), clusters: S, df: S - H, total: N, informative: Math.min(num.withEvents, S - num.complete) };
}

/**
 * Wilson score interval with the t(df) quantile and the effective sample size p(1 - p)/V, capped at
 * the cell count N (the design effect is not allowed below 1). A share of 0 or 1 has no estimable
 * variance, nor has one seen (or missed) in fewer than 5 scenarios: it gets the worst-case design effect (every scenario one observation, n_eff = S), so the
 * bound is t^2/(S + t^2), a rule-of-three-like bound on the scenarios. Null with fewer than two
 * scenarios (no between-scenario information) or no degrees of freedom.
 */
export function wilsonClusterInterval(x: Linearised, level: number): [number, number] | null {
  if (x.clusters < 2 || x.df < 1) return null;
  const t = studentTQuantile(level, x.df);
  const { p } = x;
  // A variance resting on a handful of scenarios that saw the feature (or that did not) is no guide:
  // one event in 228 scenarios would otherwise get a narrower bound than none. Such shares get the
  // worst-case design, as 0 and 1 do.
  const estimable = p > 0 && p < 1 && x.informative >= MIN_INFORMATIVE_SCENARIOS;
  const neff = estimable ? (x.v > 0 ? Math.min(x.total, (p * (1 - p)) / x.v) : x.total) : x.clusters;
  const z2 = (t * t) / neff;
  const centre = (p + z2 / 2) / (1 + z2);
  const half = (t * Math.sqrt((p * (1 - p)) / neff + z2 / (4 * neff))) / (1 + z2);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * MOVER (Zou and Donner 2008; Newcombe 1998's square-and-add for paired data) interval of pB - pA from
 * each side's interval and the correlation r of the two estimates (from the linearised covariance).
 */
export function moverDifference(
  a: { p: number; lo: number; hi: number },
  b: { p: number; lo: number; hi: number },
  r: number,
): [number, number] {
  const d = b.p - a.p;
  const lowB = b.p - b.lo;
  const highA = a.hi - a.p;
  const highB = b.hi - b.p;
  const lowA = a.p - a.lo;
  return [
    d - Math.sqrt(Math.max(0, lowB * lowB + highA * highA - 2 * r * lowB * highA)),
    d + Math.sqrt(Math.max(0, highB * highB + lowA * lowA - 2 * r * highB * lowA)),
  ];
}

/** Fewer scenarios than this with (or without) the feature: the share gets the worst-case design effect. */
const MIN_INFORMATIVE_SCENARIOS = 5;

/** Below this many scenarios every profile and diff carries a warning (docs/statistics.md). */
const SMALL_SUITE_SCENARIOS = 10;

/** The warning for a comparison or profile over `scenarios` scenarios, or null when there are enough. */
export function smallSuiteWarning(scenarios: number, subject: string): string | null {
  if (scenarios >= SMALL_SUITE_SCENARIOS) return null;
  const why =
    scenarios < 2
      ? 'with a single scenario there is no between-scenario information, so no interval is given'
      : `intervals rest on ${scenarios - 1} degrees of freedom or fewer and are wide; coverage was checked down to 5 scenarios`;
  return `${subject}: only ${scenarios} scenario${scenarios === 1 ? '' : 's'} (fewer than ${SMALL_SUITE_SCENARIOS}); ${why}`;
}
