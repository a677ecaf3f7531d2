import { DENOMINATORS, type Denominator, metricDenominator, metricKey } from '../../../records/metric-key.js';
import type { ProfileSection, Proportion } from '../../../records/profile.js';
import { REFUSALS, RESPONSE_TYPES } from '../../../records/response-types.js';
import type { ScenarioStats } from '../load/scenario-table.js';
import type { ClusterBootstrap } from '../stats/cluster-bootstrap.js';
import { percentileInterval } from '../stats/quantile.js';

/** Metrics every section lists even at zero, so tables and charts never miss a category. */
const ALWAYS: readonly string[] = [
  ...RESPONSE_TYPES.map(metricKey.responseType),
  ...REFUSALS.map(metricKey.refusal),
  metricKey.refusalRate,
  metricKey.expectPass,
  metricKey.anyValue,
  metricKey.mirroring,
  ...RESPONSE_TYPES.map(metricKey.userValuesResponseType),
];

interface SectionAcc {
  members: number[];
  cells: number;
  errored: number;
  mentions: number;
  den: Record<Denominator, number>;
  num: Map<string, { idx: number[]; val: number[]; k: number }>;
  denSums: Map<Denominator, Float64Array>;
  metrics: Record<string, Proportion>;
}

function accumulate(scenarios: readonly ScenarioStats[], members: number[]): SectionAcc {
  const acc: SectionAcc = {
    members,
    cells: 0,
    errored: 0,
    mentions: 0,
    den: { judged: 0, expect: 0, user_values: 0 },
    num: new Map(),
    denSums: new Map(),
    metrics: {},
  };
  for (const i of members) {
    const s = scenarios[i] as ScenarioStats;
    acc.cells += s.cells;
    acc.errored += s.errored;
    acc.mentions += s.valueMentions;
    for (const d of DENOMINATORS) acc.den[d] += s.den[d];
    for (const [key, k] of s.counts) {
      let e = acc.num.get(key);
      if (e === undefined) {
        e = { idx: [], val: [], k: 0 };
        acc.num.set(key, e);
      }
      e.idx.push(i);
      e.val.push(k);
      e.k += k;
    }
  }
  return acc;
}

/**
 * The overall section and one section per domain. Every proportion is a ratio estimator
 * sum_s k_s / sum_s n_s with a percentile interval over the stratified cluster bootstrap. Because
 * the bootstrap is stratified by domain, a resample's overall sum is the sum of its domain sums:
 * each metric's per-scenario pass is done once, per domain, and added up for the overall interval.
 */
export function computeSections(
  scenarios: readonly ScenarioStats[],
  domains: readonly string[],
  boot: ClusterBootstrap | null,
  level: number,
  topN: number,
  errorKinds: Record<string, number>,
): { overall: ProfileSection; domains: Record<string, ProfileSection> } {
  const all = scenarios.map((_, i) => i);
  const overall = accumulate(scenarios, all);
  const perDomain = domains.map((d) =>
    accumulate(
      scenarios,
      all.filter((i) => scenarios[i]!.domain === d),
    ),
  );
  if (boot) resampleDenominators(scenarios, boot, overall, perDomain);
  fillMetrics(boot, level, overall, perDomain);
  return {
    // Error kinds are tracked per model; domain sections report the errored count without kinds.
    overall: finishSection(overall, errorKinds, topN),
    domains: Object.fromEntries(domains.map((d, i) => [d, finishSection(perDomain[i] as SectionAcc, {}, topN)])),
  };
}

/** Per-resample denominator sums of each domain section; the overall sums are their totals. */
function resampleDenominators(
  scenarios: readonly ScenarioStats[],
  boot: ClusterBootstrap,
  overall: SectionAcc,
  perDomain: readonly SectionAcc[],
): void {
  for (const d of DENOMINATORS) {
    const total = new Float64Array(boot.resamples);
    for (const sec of perDomain) {
      const s = boot.sums(
        sec.members,
        sec.members.map((i) => (scenarios[i] as ScenarioStats).den[d]),
      );
      sec.denSums.set(d, s);
      for (let r = 0; r < s.length; r++) total[r]! += s[r] as number;
    }
    overall.denSums.set(d, total);
  }
}

/** Every metric counted anywhere (plus ALWAYS) as a proportion in each domain section and overall. */
function fillMetrics(boot: ClusterBootstrap | null, level: number, overall: SectionAcc, perDomain: readonly SectionAcc[]): void {
  const keys = [...new Set([...overall.num.keys(), ...ALWAYS])].sort();
  for (const key of keys) {
    const d = metricDenominator(key);
    const total = boot ? new Float64Array(boot.resamples) : null;
    for (const sec of perDomain) {
      const e = sec.num.get(key);
      if (!e && !ALWAYS.includes(key)) continue;
      const sums = boot && e ? boot.sums(e.idx, e.val) : boot ? new Float64Array(boot.resamples) : null;
      if (sums && total) for (let r = 0; r < sums.length; r++) total[r]! += sums[r] as number;
      sec.metrics[key] = proportion(e?.k ?? 0, sec.den[d], sums, sec.denSums.get(d) ?? null, level);
    }
    overall.metrics[key] = proportion(overall.num.get(key)?.k ?? 0, overall.den[d], total, overall.denSums.get(d) ?? null, level);
  }
}

function finishSection(sec: SectionAcc, kinds: Record<string, number>, topN: number): ProfileSection {
  return {
    scenarios: sec.members.length,
    cells: sec.cells,
    judged: sec.den.judged,
    errored: sec.errored,
    errorKinds: kinds,
    denominators: { ...sec.den },
    meanValuesPerCell: sec.den.judged > 0 ? sec.mentions / sec.den.judged : null,
    metrics: sec.metrics,
    topValues: Object.entries(sec.metrics)
      .filter(([k]) => k.startsWith('value:'))
      .sort((a, b) => b[1].k - a[1].k || (a[0] < b[0] ? -1 : 1))
      .slice(0, topN)
      .map(([k, share]) => ({ name: k.slice('value:'.length), share })),
  };
}

/** k / n with the percentile interval of the resampled ratios (numerator sums are overwritten). */
function proportion(k: number, n: number, numSums: Float64Array | null, denSums: Float64Array | null, level: number): Proportion {
  if (n === 0) return { k, n, estimate: null, lo: null, hi: null };
  const estimate = k / n;
  if (!numSums || !denSums) return { k, n, estimate, lo: null, hi: null };
  const draws = Float64Array.from(numSums);
  for (let r = 0; r < draws.length; r++) {
    const dn = denSums[r] as number;
    draws[r] = dn > 0 ? (draws[r] as number) / dn : Number.NaN;
  }
  const iv = percentileInterval(draws, level);
  return { k, n, estimate, lo: iv ? clamp01(iv[0]) : null, hi: iv ? clamp01(iv[1]) : null };
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
