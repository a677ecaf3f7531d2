import { mulberry32 } from '../../../util/mulberry32.js';

/**
 * Percentile bootstrap over items for judge-check's intervals (docs/judge-check.md). Seeded, so a
 * report is reproducible; each figure draws from its own stream (seed + the figure's name), so adding
 * a figure or a domain never shifts another's interval.
 */
export interface BootstrapOptions {
  resamples: number;
  seed: number;
  /** Coverage of the equal-tailed interval, e.g. 0.95. */
  level: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { resamples: 2000, seed: 1, level: 0.95 };

export type Interval = [number, number] | null;

/** FNV-1a of the label mixed into the seed: one independent stream per named figure. */
function streamSeed(seed: number, label: string): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Type-7 quantile of a sorted array. */
function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Resamples `n` items with replacement `resamples` times and returns, for each statistic `stat`
 * computes from a resample's item indices, the equal-tailed percentile interval. Resamples where a
 * statistic is undefined (NaN, e.g. kappa when every drawn item carries one label) are left out of
 * that statistic's interval; null when there are no items or no defined resample.
 */
export function bootstrapIntervals(
  n: number,
  stats: number,
  stat: (indices: Uint32Array) => number[],
  o: BootstrapOptions & { label: string },
): Interval[] {
  if (n === 0) return Array.from({ length: stats }, () => null);
  const random = mulberry32(streamSeed(o.seed, o.label));
  const draws: number[][] = Array.from({ length: stats }, () => []);
  const indices = new Uint32Array(n);
  for (let b = 0; b < o.resamples; b++) {
    for (let i = 0; i < n; i++) indices[i] = Math.floor(random() * n);
    stat(indices).forEach((v, s) => {
      if (Number.isFinite(v)) draws[s]!.push(v);
    });
  }
  const tail = (1 - o.level) / 2;
  return draws.map((d) => {
    if (d.length === 0) return null;
    d.sort((a, b) => a - b);
    return [quantile(d, tail), quantile(d, 1 - tail)];
  });
}
