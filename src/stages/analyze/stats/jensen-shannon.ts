/**
 * Jensen-Shannon distance between two count vectors over the same categories: the square root of
 * the base-2 JS divergence of their normalised distributions, in [0, 1]. Empty vectors give 0.
 */
export function jensenShannonDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i++) {
    sa += a[i] as number;
    sb += b[i] as number;
  }
  if (sa === 0 || sb === 0) return 0;
  let div = 0;
  for (let i = 0; i < a.length; i++) {
    const p = (a[i] as number) / sa;
    const q = (b[i] as number) / sb;
    const m = (p + q) / 2;
    if (p > 0) div += 0.5 * p * Math.log2(p / m);
    if (q > 0) div += 0.5 * q * Math.log2(q / m);
  }
  return Math.sqrt(Math.min(1, Math.max(0, div)));
}
