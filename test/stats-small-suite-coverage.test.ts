import { describe, expect, it } from 'vitest';
import { type CoverageCell, smallSuiteCoverage } from '../src/devtools/simulate/small-suite-coverage.js';
import {
  addDen,
  addNum,
  denMoments,
  linearise,
  mergeSmallStrata,
  numMoments,
  smallSuiteWarning,
  wilsonClusterInterval,
} from '../src/stages/analyze/stats/cluster-interval.js';
import { studentTQuantile } from '../src/stages/analyze/stats/t-quantile.js';

// Seeded coverage simulations behind the table in docs/statistics.md ("Intervals"). Re-measure with:
//   npx vitest run test/stats-small-suite-coverage.test.ts   (figures are printed)
// Mean 0.3, shift -0.1 (candidate rates = base rates x 2/3), 400 suites per grid cell.
const REPS = 400;
const BAR = 0.93;
const mcse = (p: number): string => Math.sqrt((p * (1 - p)) / REPS).toFixed(3);

const grid: CoverageCell[] = [5, 10, 20, 40].flatMap((scenarios) =>
  [0.3, 0.7].flatMap((icc) =>
    [1, 3, 10].map((samples) => ({ scenarios, icc, samples, replicates: REPS, seed: 100 * scenarios + 10 * samples + icc * 10 })),
  ),
);

describe('interval coverage at small suites', () => {
  it.each(grid)('S = $scenarios, rho = $icc, $samples samples: profile share and paired difference cover >= 93%', (cell) => {
    const c = smallSuiteCoverage(cell, 'current');
    const label = `S=${cell.scenarios} rho=${cell.icc} n=${cell.samples}: share ${c.share} (MCSE ${mcse(c.share)}), difference ${c.diff} (MCSE ${mcse(c.diff)})`;
    console.log(label);
    expect(c.share, label).toBeGreaterThanOrEqual(BAR);
    expect(c.diff, label).toBeGreaterThanOrEqual(BAR);
  });

  it('the former stratified percentile bootstrap under-covers at 5 scenarios', () => {
    const cell = { scenarios: 5, icc: 0.7, samples: 3, replicates: 200, seed: 7 };
    const c = smallSuiteCoverage(cell, 'old');
    console.log(`old method, S=5 rho=0.7 n=3: share ${c.share}, difference ${c.diff}`);
    expect(c.share).toBeLessThan(BAR);
    expect(c.diff).toBeLessThan(BAR);
  });

  it('does not over-widen at 40 scenarios: coverage stays below 99%', () => {
    const c = smallSuiteCoverage({ scenarios: 40, icc: 0.3, samples: 3, replicates: REPS, seed: 11 }, 'current');
    expect(c.share).toBeLessThan(0.99);
    expect(c.diff).toBeLessThan(0.99);
  });
});

describe('interval building blocks', () => {
  it('t quantiles match tables', () => {
    expect(studentTQuantile(0.95, 1)).toBeCloseTo(12.706, 3);
    expect(studentTQuantile(0.95, 4)).toBeCloseTo(2.7764, 4);
    expect(studentTQuantile(0.95, 39)).toBeCloseTo(2.0227, 4);
    expect(studentTQuantile(0.9, 10)).toBeCloseTo(1.8125, 4);
  });

  it('merges strata under 5 scenarios; a pool too small to stand alone joins the smallest large stratum', () => {
    expect([...mergeSmallStrata([0, 1, 2, 0, 1])]).toEqual([0, 0, 0, 0, 0]);
    expect([...mergeSmallStrata([0, 0, 0, 0, 0, 1, 1, 2, 2, 2])]).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect([...mergeSmallStrata([0, 0, 0, 0, 0, 1, 1])]).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('k = 0 gets a rule-of-three-like upper bound on the scenarios; k = n mirrors it; one scenario gets none', () => {
    const zero = wilsonClusterInterval({ p: 0, v: 0, clusters: 20, df: 19, total: 100, informative: 0 }, 0.95)!;
    const t = studentTQuantile(0.95, 19);
    expect(zero[0]).toBe(0);
    expect(zero[1]).toBeCloseTo((t * t) / (20 + t * t), 10);
    const all = wilsonClusterInterval({ p: 1, v: 0, clusters: 20, df: 19, total: 100, informative: 0 }, 0.95)!;
    expect(all[0]).toBeCloseTo(1 - zero[1], 10);
    expect(all[1]).toBe(1);
    expect(wilsonClusterInterval({ p: 0.5, v: 0.01, clusters: 1, df: 0, total: 10, informative: 1 }, 0.95)).toBeNull();
  });

  it('a share seen in one scenario of 228 is no better known than one never seen (the review case)', () => {
    // 228 scenarios x 12 cells; candidate k = 1 in one scenario. Before: upper bound 0.21 pts vs 1.68 for k = 0.
    const den = denMoments(1);
    const none = numMoments(1);
    const one = numMoments(1);
    for (let s = 0; s < 228; s++) {
      addDen(den, 0, 12);
      addNum(none, 0, 0, 12);
      addNum(one, 0, s === 0 ? 1 : 0, 12);
    }
    const zero = wilsonClusterInterval(linearise(den, none)!, 0.95)!;
    const single = wilsonClusterInterval(linearise(den, one)!, 0.95)!;
    expect(single[1]).toBeGreaterThanOrEqual(zero[1]);
  });

  it('warns below 10 scenarios', () => {
    expect(smallSuiteWarning(10, 'm')).toBeNull();
    expect(smallSuiteWarning(5, 'm')).toMatch(/only 5 scenarios/);
    expect(smallSuiteWarning(1, 'm')).toMatch(/no between-scenario information/);
  });
});
