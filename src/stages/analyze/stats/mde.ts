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

/** Per-scenario counts of one metric on both sides (as PairedComparison.perScenario). */
type PairCounts = readonly { kA: number; nA: number; kB: number; nB: number }[];

/**
 * Variance components of the paired per-scenario difference d_s = kB/nB - kA/nA, for planning:
 *   Var(d_s) = tau2 + sigma2 (1/nA + 1/nB)
 * sigma2 = p_s (1 - p_s), the within-scenario (binomial) variance of one cell, estimated without
 * bias from the scenario's pooled cells, K (N - K) / (N (N - 1)), and averaged over scenarios; tau2
 * the between-scenario variance of the true difference (a model x scenario interaction), estimated
 * by moments as max(0, observed variance of d_s - mean within part). More samples shrink only the
 * within part; only more scenarios shrink tau2. `samples` is the mean cells per scenario per side.
 */
export function pairedVarianceComponents(scen: PairCounts): { scenarios: number; samples: number; sigma2: number; tau2: number } | null {
  const used = scen.filter((s) => s.nA > 0 && s.nB > 0);
  const S = used.length;
  if (S < 2) return null;
  let sumD = 0;
  let sumD2 = 0;
  let within = 0;
  let sigma2 = 0;
  let cells = 0;
  for (const s of used) {
    const d = s.kB / s.nB - s.kA / s.nA;
    sumD += d;
    sumD2 += d * d;
    const n = s.nA + s.nB;
    const k = s.kA + s.kB;
    const pq = (k * (n - k)) / (n * (n - 1));
    sigma2 += pq;
    within += pq * (1 / s.nA + 1 / s.nB);
    cells += n / 2;
  }
  const varD = (sumD2 - (sumD * sumD) / S) / (S - 1);
  return { scenarios: S, samples: cells / S, sigma2: sigma2 / S, tau2: Math.max(0, varD - within / S) };
}

/**
 * The standard error at which a rule with this margin is decidable: with a true change of 0 its
 * (1 - alpha) interval lies inside the margin with probability `power` (and a change of the MDE
 * fails with about that probability): se <= margin / (z_{1-alpha/2} + z_power).
 */
export function decidableSe(margin: number, alpha: number, power = 0.8): number {
  return margin / (normalQuantile(1 - alpha / 2, 0, 1) + normalQuantile(power, 0, 1));
}

/**
 * What would make a rule decidable, from SE(n, S)^2 = (tau2 + 2 sigma2 / n) / S (n samples per
 * scenario per side, S scenarios): the samples per scenario needed at the current S, or null when
 * more samples cannot help (S se*^2 <= tau2: between-scenario variance dominates); and the scenarios
 * needed at the current samples per scenario (null when no suite decides it: se* = 0).
 */
export function samplesToDecide(
  vc: { scenarios: number; samples: number; sigma2: number; tau2: number },
  targetSe: number,
): { samplesPerScenario: number | null; scenarios: number | null } {
  const t2 = targetSe * targetSe;
  if (!(t2 > 0)) return { samplesPerScenario: null, scenarios: null };
  const room = vc.scenarios * t2 - vc.tau2;
  const samplesPerScenario = room > 0 ? Math.max(1, Math.ceil((2 * vc.sigma2) / room)) : null;
  const scenarios = Math.max(vc.scenarios, Math.ceil((vc.tau2 + (2 * vc.sigma2) / vc.samples) / t2));
  return { samplesPerScenario, scenarios };
}
