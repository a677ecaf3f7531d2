import { describe, expect, it } from 'vitest';
import { chiSquareResiduals } from '../src/stages/analyze/stats/chi-square-residuals.js';
import { ClusterBootstrap } from '../src/stages/analyze/stats/cluster-bootstrap.js';
import { jensenShannonDistance } from '../src/stages/analyze/stats/jensen-shannon.js';
import { minimumDetectableEffect, pairedNullSe } from '../src/stages/analyze/stats/mde.js';
import { benjaminiHochberg, bonferroni } from '../src/stages/analyze/stats/multiple-testing.js';
import { createRng } from '../src/stages/analyze/stats/prng.js';
import {
  HypergeometricTables,
  mantelHaenszel,
  withinScenarioPermutationP,
} from '../src/stages/analyze/stats/within-scenario-permutation.js';

describe('stats building blocks', () => {
  it('PRNG is seeded and deterministic', () => {
    const a = createRng(42),
      b = createRng(42),
      c = createRng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(c.next()).not.toBe(xs[0]);
  });

  it('BH matches the textbook step-up values; Bonferroni caps at 1', () => {
    // Sorted 0.01, 0.03, 0.04, 0.5 -> raw 0.04, 0.06, 0.0533, 0.5 -> step-up minimum from the top.
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.5]);
    [0.04, 0.16 / 3, 0.16 / 3, 0.5].forEach((x, k) => {
      expect(q[k]).toBeCloseTo(x, 12);
    });
    expect(bonferroni([0.01, 0.5])).toEqual([0.02, 1]);
  });

  it('chi-square residuals: independent table has none large; a planted association is found', () => {
    const indep = chiSquareResiduals([
      [10, 20],
      [20, 40],
    ]);
    expect(indep.statistic).toBeCloseTo(0, 10);
    const planted = chiSquareResiduals([
      [50, 5],
      [5, 50],
    ]);
    expect(planted.p).toBeLessThan(1e-10);
    expect(planted.cells[0]!.residual).toBeGreaterThan(6);
    // Adjusted residual formula check (Agresti): O=50, E=27.5, row/col 55 of 110.
    expect(planted.cells[0]!.residual).toBeCloseTo((50 - 27.5) / Math.sqrt(27.5 * 0.5 * 0.5), 10);
  });

  it('Jensen-Shannon distance: 0 for equal, 1 for disjoint', () => {
    expect(jensenShannonDistance([1, 2, 3], [2, 4, 6])).toBeCloseTo(0, 12);
    expect(jensenShannonDistance([1, 0], [0, 5])).toBeCloseTo(1, 12);
  });

  it('hypergeometric tables sum to one and sample with the right mean', () => {
    const t = new HypergeometricTables();
    const rng = createRng(1);
    let sum = 0;
    for (let i = 0; i < 20000; i++) sum += t.draw(30, 12, 10, rng.next());
    expect(sum / 20000).toBeCloseTo((10 * 12) / 30, 1);
    expect(t.table(300, 150, 150).cdf.at(-1)).toBeCloseTo(1, 12);
  });

  it('Mantel-Haenszel numerator equals the weighted per-scenario difference; permutation p is uniform-ish under H0 and small under H1', () => {
    const { t } = mantelHaenszel([{ kA: 1, nA: 3, kB: 3, nB: 3 }]);
    expect(t).toBeCloseTo(1.5 * (1 - 1 / 3), 12);
    const rng = createRng(3);
    const strong = Array.from({ length: 30 }, () => ({ kA: 3, nA: 3, kB: 0, nB: 3 }));
    expect(withinScenarioPermutationP(strong, 200, rng)).toBeLessThan(0.01);
    expect(withinScenarioPermutationP([{ kA: 1, nA: 3, kB: 1, nB: 3 }], 200, rng)).toBe(1);
  });

  it('MDE: paired SE matches 2 p(1-p)/(S n) without clustering; margin dominates when larger', () => {
    const scen = Array.from({ length: 100 }, () => ({ kA: 5, nA: 10, kB: 5, nB: 10 }));
    const se = pairedNullSe(scen)!;
    // Unbiased within-scenario variance: K(N-K)/(N(N-1)) = 10*10/(20*19).
    expect(se).toBeCloseTo(Math.sqrt((2 * (100 / 380)) / (100 * 10)), 10);
    expect(minimumDetectableEffect(se, 0.05, 0.8, 0)).toBeCloseTo((1.959964 + 0.841621) * se, 4);
    expect(minimumDetectableEffect(se, 0.05, 0.8, 0.2)).toBeCloseTo(0.2 + 0.841621 * se, 4);
  });

  it('stratified cluster bootstrap keeps each stratum size in every resample', () => {
    const strata = [0, 0, 0, 1, 1];
    const b = new ClusterBootstrap(strata, 50, createRng(9));
    const inA = b.sums([0, 1, 2], [1, 1, 1]);
    const inB = b.sums([3, 4], [1, 1]);
    expect([...inA].every((x) => x === 3)).toBe(true);
    expect([...inB].every((x) => x === 2)).toBe(true);
  });
});
