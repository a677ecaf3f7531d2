import { describe, expect, it } from 'vitest';
import { bootstrapIntervals } from '../src/stages/judge/check/bootstrap.js';

const boot = { resamples: 4000, seed: 1, level: 0.95, label: 'test' };

describe('judge-check percentile bootstrap', () => {
  const values = Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? 1 : 0));
  const mean = (idx: Uint32Array) => [idx.reduce((s, i) => s + values[i]!, 0) / idx.length];

  it('gives the normal-theory interval of a share on a large sample', () => {
    // Share 0.25 on 200 items: standard error sqrt(0.25 * 0.75 / 200) = 0.0306; 1.96 SE = 0.060.
    const [ci] = bootstrapIntervals(values.length, 1, mean, boot);
    expect(ci![0]).toBeGreaterThan(0.25 - 0.06 - 0.012);
    expect(ci![0]).toBeLessThan(0.25 - 0.06 + 0.012);
    expect(ci![1]).toBeGreaterThan(0.25 + 0.06 - 0.012);
    expect(ci![1]).toBeLessThan(0.25 + 0.06 + 0.012);
  });

  it('is reproducible from its seed and stream label, and differs across them', () => {
    // A continuous statistic, so that two streams cannot land on the same order statistics.
    const xs = Array.from({ length: 50 }, (_, i) => Math.sqrt(i + 1));
    const m = (idx: Uint32Array) => [idx.reduce((s, i) => s + xs[i]!, 0) / idx.length];
    const a = bootstrapIntervals(xs.length, 1, m, boot);
    expect(bootstrapIntervals(xs.length, 1, m, boot)).toEqual(a);
    expect(bootstrapIntervals(xs.length, 1, m, { ...boot, seed: 2 })).not.toEqual(a);
    expect(bootstrapIntervals(xs.length, 1, m, { ...boot, label: 'other' })).not.toEqual(a);
  });

  it('leaves undefined resamples out and returns null when nothing is defined', () => {
    expect(bootstrapIntervals(0, 2, () => [0, 0], boot)).toEqual([null, null]);
    expect(bootstrapIntervals(3, 2, () => [0.5, Number.NaN], boot)).toEqual([[0.5, 0.5], null]);
  });
});
