import { clusterVariance, type PpiParts } from './ppi-influence.js';

/**
 * Power tuning (PPI++, Angelopoulos, Duchi and Zrnic 2023): the lambda that minimises the estimated
 * variance of theta(lambda). The influence is c + lambda d per scenario, so the cluster-robust
 * variance is the quadratic V_cc + 2 lambda V_cd + lambda^2 V_dd, minimised at -V_cd / V_dd. Using the
 * design's own influence (labelled cells inside the judged population, scenario clusters, draw
 * strata) rather than PPI++'s i.i.d. formula Cov(y, f) / ((1 + n/N) Var(f)) makes the tuning minimise
 * the variance the interval actually uses; in the i.i.d. subset design it reduces to Cov(y, f) / Var(f).
 * Clamped to [0, 1]: 0 is the human-only estimate, 1 classic prediction-powered inference.
 */
export function tuneLambda(p: PpiParts, stratum?: ArrayLike<number>): number {
  const vcc = clusterVariance((s) => p.c[s] as number, p.present, stratum);
  const vdd = clusterVariance((s) => p.d[s] as number, p.present, stratum);
  if (!(vdd > 0)) return 0;
  const vsum = clusterVariance((s) => (p.c[s] as number) + (p.d[s] as number), p.present, stratum);
  const vcd = (vsum - vcc - vdd) / 2;
  return Math.min(1, Math.max(0, -vcd / vdd));
}
