/**
 * Benjamini-Hochberg adjusted p-values (q-values), in input order. Rejecting q < alpha controls the
 * false discovery rate at alpha for independent or positively dependent tests, and the family-wise
 * error rate at alpha when every null is true.
 */
export function benjaminiHochberg(p: readonly number[]): number[] {
  const m = p.length;
  const order = p.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
  const q = new Array<number>(m);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const [v, i] = order[r] as readonly [number, number];
    running = Math.min(running, (v * m) / (r + 1));
    q[i] = Math.min(1, running);
  }
  return q;
}

/** Bonferroni-adjusted p-values: p * m, capped at 1. */
export function bonferroni(p: readonly number[], m: number = p.length): number[] {
  return p.map((v) => Math.min(1, v * m));
}
