import { describe, expect, it } from 'vitest';
import { createRng } from '../src/stages/analyze/stats/prng.js';
import { percentileInterval, sortedQuantile } from '../src/stages/analyze/stats/quantile.js';

describe('percentileInterval', () => {
  it('matches the sorted type-7 quantiles, ignoring NaN', () => {
    const rng = createRng(3);
    for (const n of [1, 2, 7, 100, 2001]) {
      const xs = Float64Array.from({ length: n }, () => (rng.next() < 0.3 ? Math.floor(rng.next() * 5) : rng.next()));
      const withNaN = Float64Array.from([...xs, Number.NaN]);
      const sorted = Float64Array.from(xs).sort();
      const iv = percentileInterval(withNaN, 0.95)!;
      expect(iv[0]).toBeCloseTo(sortedQuantile(sorted, 0.025), 12);
      expect(iv[1]).toBeCloseTo(sortedQuantile(sorted, 0.975), 12);
    }
    expect(percentileInterval(Float64Array.from([Number.NaN]), 0.95)).toBeNull();
  });
});
