/** Linear-interpolation quantile (type 7) of an already sorted array. */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

/** Equal-tailed percentile interval of the finite values in `draws` (the array is sorted in place). */
export function percentileInterval(draws: Float64Array, level: number): [number, number] | null {
  let m = 0;
  for (let i = 0; i < draws.length; i++) {
    const v = draws[i] as number;
    if (Number.isFinite(v)) draws[m++] = v;
  }
  if (m === 0) return null;
  const finite = draws.subarray(0, m).sort();
  const tail = (1 - level) / 2;
  return [sortedQuantile(finite, tail), sortedQuantile(finite, 1 - tail)];
}
