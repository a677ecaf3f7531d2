import { comparePaired, type ScenarioPair } from '../../stages/analyze/diff/paired-metric.js';
import type { ScenarioStats } from '../../stages/analyze/load/scenario-table.js';
import { computeSections } from '../../stages/analyze/profile/profile-section.js';
import { ClusterBootstrap } from '../../stages/analyze/stats/cluster-bootstrap.js';
import { createRng, type Rng } from '../../stages/analyze/stats/prng.js';
import { percentileInterval } from '../../stages/analyze/stats/quantile.js';
import { beta, betaForMeanIcc, binomial } from './random-variates.js';

/**
 * Coverage of profile-share and paired-difference intervals on small suites (docs/statistics.md,
 * "Intervals"). Per-scenario base rates are beta(mean, icc); the candidate's rate is the base rate
 * scaled so the mean moves by `shift`; scenarios are dealt round-robin into domains (3 domains at
 * 5 scenarios or fewer, else 4), so small suites have strata of 1-2 scenarios. `current` runs the
 * profile and diff code (computeSections, comparePaired); `old` is the former stratified percentile
 * cluster bootstrap, kept to measure what it covered.
 */
export interface CoverageCell {
  scenarios: number;
  icc: number;
  samples: number;
  replicates: number;
  seed: number;
  mean?: number;
  shift?: number;
  level?: number;
}

const METRIC = 'simulated';

function stats(id: string, domain: string, k: number, n: number): ScenarioStats {
  return {
    id,
    domain,
    cells: n,
    errored: 0,
    den: { judged: n, expect: 0, user_values: 0 },
    counts: new Map([[METRIC, k]]),
    valueMentions: 0,
  };
}

function simulatePairs(o: CoverageCell, rng: Rng): ScenarioPair[] {
  const mean = o.mean ?? 0.3;
  const [a, b] = betaForMeanIcc(mean, o.icc);
  const scale = (mean + (o.shift ?? -0.1)) / mean;
  const domains = o.scenarios <= 5 ? 3 : 4;
  return Array.from({ length: o.scenarios }, (_, s) => {
    const p = beta(a, b, rng);
    const id = `s${s}`;
    const domain = `d${s % domains}`;
    return {
      id,
      domain,
      a: stats(id, domain, binomial(o.samples, p, rng), o.samples),
      b: stats(id, domain, binomial(o.samples, Math.min(1, p * scale), rng), o.samples),
    };
  });
}

function currentIntervals(pairs: ScenarioPair[], level: number): { share: number[] | null; diff: number[] | null } {
  const scen = pairs.map((p) => p.a);
  const domains = [...new Set(scen.map((s) => s.domain))].sort();
  const share = computeSections(scen, domains, level, 0, {}).overall.metrics[METRIC];
  const all = pairs.map((_, i) => i);
  const diff = comparePaired(pairs, all, METRIC, { section: '', dens: null, level, test: false });
  return {
    share: share?.lo != null && share.hi != null ? [share.lo, share.hi] : null,
    diff: diff.lo !== null && diff.hi !== null ? [diff.lo, diff.hi] : null,
  };
}

function oldIntervals(pairs: ScenarioPair[], level: number, rng: Rng): { share: number[] | null; diff: number[] | null } {
  const domains = [...new Set(pairs.map((p) => p.domain))].sort();
  const boot = new ClusterBootstrap(
    pairs.map((p) => domains.indexOf(p.domain)),
    1000,
    rng,
  );
  const idx = pairs.map((_, i) => i);
  const side = (s: 'a' | 'b'): Float64Array => {
    const k = boot.sums(
      idx,
      pairs.map((p) => p[s].counts.get(METRIC) ?? 0),
    );
    const n = boot.sums(
      idx,
      pairs.map((p) => p[s].den.judged),
    );
    return k.map((x, r) => x / (n[r] as number));
  };
  const a = side('a');
  const b = side('b');
  const d = b.map((x, r) => x - (a[r] as number));
  return { share: percentileInterval(a, level), diff: percentileInterval(d, level) };
}

/** Fraction of replicates whose share interval covers the mean and whose difference interval covers the shift. */
export function smallSuiteCoverage(o: CoverageCell, method: 'current' | 'old'): { share: number; diff: number } {
  const rng = createRng(o.seed);
  const level = o.level ?? 0.95;
  const mean = o.mean ?? 0.3;
  const shift = o.shift ?? -0.1;
  const eps = 1e-12;
  let share = 0;
  let diff = 0;
  for (let rep = 0; rep < o.replicates; rep++) {
    const pairs = simulatePairs(o, rng);
    const iv = method === 'current' ? currentIntervals(pairs, level) : oldIntervals(pairs, level, rng);
    if (iv.share && iv.share[0]! <= mean + eps && mean <= iv.share[1]! + eps) share++;
    if (iv.diff && iv.diff[0]! <= shift + eps && shift <= iv.diff[1]! + eps) diff++;
  }
  return { share: share / o.replicates, diff: diff / o.replicates };
}
