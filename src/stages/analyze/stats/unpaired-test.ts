import type { Rng } from './prng.js';

/**
 * Unpaired cluster permutation test: the per-scenario proportions of both sides are pooled and the
 * side labels shuffled freely (scenario identity ignored). Valid under clustering, but it cannot
 * cancel the scenario effect a paired test removes. Kept as the comparator the simulations measure
 * the paired test against.
 */
export function unpairedClusterPermutationP(a: readonly number[], b: readonly number[], resamples: number, rng: Rng): number {
  const pooled = [...a, ...b];
  const nA = a.length;
  const total = pooled.reduce((x, y) => x + y, 0);
  const diff = (sumA: number) => (total - sumA) / b.length - sumA / nA;
  const observed = Math.abs(diff(a.reduce((x, y) => x + y, 0))) * (1 - 1e-10);
  let exceed = 0;
  const idx = pooled.map((_, i) => i);
  for (let r = 0; r < resamples; r++) {
    // Partial Fisher-Yates: the first nA positions become side A.
    let sumA = 0;
    for (let i = 0; i < nA; i++) {
      const j = i + rng.int(idx.length - i);
      const t = idx[i] as number;
      idx[i] = idx[j] as number;
      idx[j] = t;
      sumA += pooled[idx[i] as number] as number;
    }
    if (Math.abs(diff(sumA)) >= observed) exceed++;
  }
  return (1 + exceed) / (resamples + 1);
}
