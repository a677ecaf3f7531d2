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

/** Rearranges a[from..to] so that a[k] holds the value it would hold if sorted (Hoare quickselect). */
function select(a: Float64Array, k: number, from: number, to: number): void {
  let lo = from;
  let hi = to;
  while (hi > lo) {
    const pivot = a[(lo + hi) >>> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** Type-7 quantile of a[0..m) by selection (O(m), reorders the array). */
function selectQuantile(a: Float64Array, m: number, q: number): number {
  const h = (m - 1) * q;
  const lo = Math.floor(h);
  select(a, lo, 0, m - 1);
  const x = a[lo] as number;
  if (lo + 1 >= m || h === lo) return x;
  // The next order statistic is the minimum of the part above lo.
  let y = Infinity;
  for (let i = lo + 1; i < m; i++) if ((a[i] as number) < y) y = a[i] as number;
  return x + (h - lo) * (y - x);
}

/**
 * Equal-tailed percentile interval of the finite values in `draws` (reordered in place). Uses
 * selection rather than a full sort: it runs once per proportion per section, thousands of times.
 */
export function percentileInterval(draws: Float64Array, level: number): [number, number] | null {
  let m = 0;
  for (let i = 0; i < draws.length; i++) {
    const v = draws[i] as number;
    if (Number.isFinite(v)) draws[m++] = v;
  }
  if (m === 0) return null;
  const tail = (1 - level) / 2;
  const lower = selectQuantile(draws, m, tail);
  const upper = selectQuantile(draws, m, 1 - tail);
  return [lower, upper];
}
