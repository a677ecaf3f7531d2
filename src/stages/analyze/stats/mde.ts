import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/**
 * Standard error of the paired statistic T = sum_s w_s d_s / sum_s w_s under H0, where
 * w_s = nA nB / (nA + nB) and d_s is the difference of the scenario's proportions. With a common
 * per-scenario rate p_s, Var(d_s) = p_s (1 - p_s) (1/nA + 1/nB) = p_s (1 - p_s) / w_s, hence
 *   Var(T) = sum_s w_s p_s (1 - p_s) / (sum_s w_s)^2.
 * p_s (1 - p_s) is estimated without bias from the pooled cells of the scenario (K of N):
 * K (N - K) / (N (N - 1)); with one cell only, the pooled p (1 - p) of all scenarios is used.
 * With S scenarios of n cells per side this is 2 p (1 - p) (1 - rho) / (S n): the design effect of
 * the paired design is (1 - rho), rho the intra-scenario correlation, against 1 + (n - 1) rho for
 * an unpaired comparison of two clustered samples (docs/statistics.md).
 */
export function pairedNullSe(scen: readonly { kA: number; nA: number; kB: number; nB: number }[]): number | null {
  let K = 0;
  let N = 0;
  for (const s of scen) {
    K += s.kA + s.kB;
    N += s.nA + s.nB;
  }
  if (N === 0) return null;
  const pooled = (K / N) * (1 - K / N);
  let W = 0;
  let v = 0;
  for (const s of scen) {
    if (s.nA === 0 || s.nB === 0) continue;
    const w = (s.nA * s.nB) / (s.nA + s.nB);
    const k = s.kA + s.kB;
    const n = s.nA + s.nB;
    const within = n > 1 ? (k * (n - k)) / (n * (n - 1)) : pooled;
    W += w;
    v += w * within;
  }
  return W > 0 ? Math.sqrt(v) / W : null;
}

/**
 * Minimum detectable effect at the given power of a rule that fails when the observed change is
 * beyond `margin` (in its direction) AND significant at two-sided level `alpha`. With the estimate
 * ~ N(-delta, se^2), both hold with probability `power` when
 *   delta = max(margin, z_{1-alpha/2} se) + z_{power} se.
 */
export function minimumDetectableEffect(se: number, alpha: number, power = 0.8, margin = 0): number {
  const zA = normalQuantile(1 - alpha / 2, 0, 1);
  const zB = normalQuantile(power, 0, 1);
  return Math.max(margin, zA * se) + zB * se;
}

/** The standard error a two-sided interval at `level` implies (its half-width over the normal quantile). */
export function seFromInterval(lo: number, hi: number, level: number): number {
  return (hi - lo) / (2 * normalQuantile(1 - (1 - level) / 2, 0, 1));
}
