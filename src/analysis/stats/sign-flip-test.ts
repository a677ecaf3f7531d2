import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import type { Rng } from './prng.js';

/** Below this many exceedances the p-value comes from the normal tail of the randomization distribution. */
export const TAIL_EXCEEDANCES = 10;

/**
 * Paired permutation test over scenarios. Under H0 the two sides' cells of a scenario come from the
 * same distribution, so swapping the side labels within a scenario leaves the data's distribution
 * unchanged; swapping flips the sign of that scenario's difference d_s. The statistic is
 * sum_s c_s with c_s = w_s * d_s (w_s fixed under relabelling), and the p-value counts random sign
 * patterns whose |statistic| reaches the observed one. The sign patterns are drawn once (R x S) and
 * shared by every metric, so each metric costs one pass over its non-zero c_s per resample.
 */
export class SignFlips {
  readonly signs: Int8Array;

  constructor(readonly clusters: number, readonly resamples: number, rng: Rng) {
    this.signs = new Int8Array(resamples * clusters);
    for (let i = 0; i < this.signs.length; i++) this.signs[i] = rng.next() < 0.5 ? -1 : 1;
  }

  /**
   * Two-sided p-value for contributions c_s given sparsely: (1 + #{|T*| >= |T|}) / (R + 1), except
   * in the far tail. With fewer than TAIL_EXCEEDANCES exceedances the Monte Carlo estimate is too
   * coarse (its floor 1/(R+1) would cap how small a BH-adjusted q can get in a large family), so the
   * tail uses the normal approximation of the randomization distribution itself, whose variance is
   * exactly sum_s c_s^2 (docs/statistics.md).
   */
  pValue(idx: ArrayLike<number>, c: ArrayLike<number>): number {
    const m = idx.length;
    let observed = 0;
    let sumSq = 0;
    for (let j = 0; j < m; j++) {
      observed += c[j] as number;
      sumSq += (c[j] as number) ** 2;
    }
    const target = Math.abs(observed) * (1 - 1e-10);
    if (m === 0 || target === 0) return 1;
    let exceed = 0;
    const S = this.clusters;
    for (let r = 0; r < this.resamples; r++) {
      const base = r * S;
      let acc = 0;
      for (let j = 0; j < m; j++) acc += (this.signs[base + (idx[j] as number)] as number) * (c[j] as number);
      if (Math.abs(acc) >= target) exceed++;
    }
    if (exceed < TAIL_EXCEEDANCES && sumSq > 0) return Math.min((1 + exceed) / (this.resamples + 1), 2 * (1 - normalCdf(Math.abs(observed) / Math.sqrt(sumSq), 0, 1)));
    return (1 + exceed) / (this.resamples + 1);
  }

  /** Whether scenario s is swapped in resample r. */
  swapped(r: number, s: number): boolean {
    return (this.signs[r * this.clusters + s] as number) < 0;
  }
}

/**
 * Per-scenario contribution of a proportion metric: w_s * (pB_s - pA_s) with w_s = nA nB / (nA + nB).
 * With equal cell counts on both sides, sum_s c_s / sum_s w_s equals the difference of the pooled
 * proportions. This weight makes every scenario's term variance proportional to its information.
 */
export function pairedContribution(kA: number, nA: number, kB: number, nB: number): number {
  if (nA === 0 || nB === 0) return 0;
  const w = (nA * nB) / (nA + nB);
  return w * (kB / nB - kA / nA);
}
