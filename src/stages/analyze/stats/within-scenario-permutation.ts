import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import type { Rng } from './prng.js';

/** Counts of one scenario: kA of nA base cells and kB of nB candidate cells count in the metric. */
export interface PairedCounts {
  kA: number;
  nA: number;
  kB: number;
  nB: number;
}

/**
 * The paired permutation test used by the gate and the diff. H0: within each scenario, the base and
 * candidate cells are draws from one distribution, so every cell of a scenario is exchangeable and
 * the side labels can be shuffled among that scenario's nA + nB cells, keeping nA and nB. This
 * handles unequal sample counts per side exactly (a whole-side swap does not: it would move cells
 * between groups of different sizes). Conditional on the scenario's total K = kA + kB, kA is then
 * hypergeometric, and the statistic
 *   T = sum_s (nA kB - nB kA) / N  =  sum_s w_s (pB_s - pA_s),   w_s = nA nB / N,
 * is the Mantel-Haenszel numerator, with permutation mean 0 and variance
 *   V = sum_s nA nB K (N - K) / (N^2 (N - 1)).
 */
export function mantelHaenszel(scen: readonly PairedCounts[]): { t: number; variance: number } {
  let t = 0;
  let variance = 0;
  for (const s of scen) {
    const N = s.nA + s.nB;
    if (s.nA === 0 || s.nB === 0) continue;
    const K = s.kA + s.kB;
    t += (s.nA * s.kB - s.nB * s.kA) / N;
    if (N > 1) variance += (s.nA * s.nB * K * (N - K)) / (N * N * (N - 1));
  }
  return { t, variance };
}

/** Two-sided p-value from the normal approximation of the permutation distribution (the MH test). */
export function mantelHaenszelP(scen: readonly PairedCounts[]): number {
  const { t, variance } = mantelHaenszel(scen);
  if (variance <= 0) return 1;
  return Math.min(1, 2 * (1 - normalCdf(Math.abs(t) / Math.sqrt(variance), 0, 1)));
}

/** Inverse-CDF sampler of Hypergeometric(N, K, n), one table per distinct (N, K, n). */
export class HypergeometricTables {
  private readonly tables = new Map<string, { lo: number; cdf: Float64Array }>();

  table(N: number, K: number, n: number): { lo: number; cdf: Float64Array } {
    const key = `${N},${K},${n}`;
    let t = this.tables.get(key);
    if (t) return t;
    const lo = Math.max(0, n - (N - K));
    const hi = Math.min(n, K);
    const logp = new Float64Array(hi - lo + 1);
    // log pmf by the ratio recurrence p(x+1)/p(x) = (K-x)(n-x) / ((x+1)(N-K-n+x+1)).
    for (let x = lo; x < hi; x++) {
      logp[x - lo + 1] = (logp[x - lo] as number) + Math.log(((K - x) * (n - x)) / ((x + 1) * (N - K - n + x + 1)));
    }
    let max = -Infinity;
    for (const v of logp) max = Math.max(max, v);
    const cdf = new Float64Array(logp.length);
    let acc = 0;
    for (let i = 0; i < logp.length; i++) cdf[i] = acc += Math.exp((logp[i] as number) - max);
    for (let i = 0; i < cdf.length; i++) cdf[i] = (cdf[i] as number) / acc;
    t = { lo, cdf };
    this.tables.set(key, t);
    return t;
  }

  draw(N: number, K: number, n: number, u: number): number {
    const { lo, cdf } = this.table(N, K, n);
    let a = 0;
    let b = cdf.length - 1;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if ((cdf[mid] as number) <= u) a = mid + 1;
      else b = mid;
    }
    return lo + a;
  }
}

/**
 * Monte Carlo p-value of the within-scenario permutation test: (1 + #{|T*| >= |T|}) / (R + 1),
 * with T* drawn exactly (hypergeometric per scenario). Scenarios with K = 0 or K = N cannot change
 * under relabelling and are skipped.
 */
export function withinScenarioPermutationP(
  scen: readonly PairedCounts[],
  resamples: number,
  rng: Rng,
  tables = new HypergeometricTables(),
): number {
  const live = scen.filter((s) => s.nA > 0 && s.nB > 0 && s.kA + s.kB > 0 && s.kA + s.kB < s.nA + s.nB);
  const { t } = mantelHaenszel(live);
  const target = Math.abs(t) - 1e-9;
  if (live.length === 0 || Math.abs(t) < 1e-12) return 1;
  let exceed = 0;
  for (let r = 0; r < resamples; r++) {
    let ts = 0;
    for (const s of live) {
      const N = s.nA + s.nB;
      const K = s.kA + s.kB;
      const kA = tables.draw(N, K, s.nA, rng.next());
      ts += (s.nA * (K - kA) - s.nB * kA) / N;
    }
    if (Math.abs(ts) >= target) exceed++;
  }
  return (1 + exceed) / (resamples + 1);
}
