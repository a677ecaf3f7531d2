import { DENOMINATORS, type Denominator, metricDenominator, metricKey } from '../../../records/metric-key.js';
import type { ProfileSection, Proportion } from '../../../records/profile.js';
import { REFUSALS, RESPONSE_TYPES } from '../../../records/response-types.js';
import type { ScenarioStats } from '../load/scenario-table.js';
import {
  addDen,
  addNum,
  type DenMoments,
  denMoments,
  domainStrata,
  linearise,
  type NumMoments,
  numMoments,
  wilsonClusterInterval,
} from '../stats/cluster-interval.js';

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
  denMoments: Map<Denominator, DenMoments>;
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
    denMoments: new Map(),
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
 * sum_s k_s / sum_s n_s with a small-sample cluster interval (stats/cluster-interval.ts): Wilson
 * score with the t quantile and a design-effect-adjusted n, from the between-scenario variance,
 * stratified by domain overall (domains with fewer than 5 scenarios pooled) and unstratified within
 * a domain. One pass per metric over the scenarios where it is non-zero feeds every section.
 */
export function computeSections(
  scenarios: readonly ScenarioStats[],
  domains: readonly string[],
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
  const { strata, count: H } = domainStrata(scenarios.map((s) => s.domain));
  denominatorMoments(scenarios, overall, H, (i) => strata[i] as number);
  for (const sec of perDomain) denominatorMoments(scenarios, sec, 1, () => 0);
  fillMetrics(scenarios, level, overall, perDomain, strata);
  return {
    // Error kinds are tracked per model; domain sections report the errored count without kinds.
    overall: finishSection(overall, errorKinds, topN),
    domains: Object.fromEntries(domains.map((d, i) => [d, finishSection(perDomain[i] as SectionAcc, {}, topN)])),
  };
}

/** Per-stratum denominator moments of a section, for each denominator. */
function denominatorMoments(scenarios: readonly ScenarioStats[], sec: SectionAcc, H: number, stratumOf: (i: number) => number): void {
  for (const d of DENOMINATORS) {
    const m = denMoments(H);
    for (const i of sec.members) addDen(m, stratumOf(i), (scenarios[i] as ScenarioStats).den[d]);
    sec.denMoments.set(d, m);
  }
}

/** Every metric counted anywhere (plus ALWAYS) as a proportion in each domain section and overall. */
function fillMetrics(
  scenarios: readonly ScenarioStats[],
  level: number,
  overall: SectionAcc,
  perDomain: readonly SectionAcc[],
  strata: Int32Array,
): void {
  const keys = [...new Set([...overall.num.keys(), ...ALWAYS])].sort();
  const H = overall.denMoments.get('judged')?.c.length ?? 1;
  for (const key of keys) {
    const d = metricDenominator(key);
    const total = numMoments(H);
    for (const sec of perDomain) {
      const e = sec.num.get(key);
      if (!e && !ALWAYS.includes(key)) continue;
      const own = numMoments(1);
      e?.idx.forEach((i, j) => {
        const k = e.val[j] as number;
        const n = (scenarios[i] as ScenarioStats).den[d];
        addNum(own, 0, k, n);
        addNum(total, strata[i] as number, k, n);
      });
      sec.metrics[key] = proportion(e?.k ?? 0, sec.den[d], sec.denMoments.get(d) as DenMoments, own, level);
    }
    overall.metrics[key] = proportion(overall.num.get(key)?.k ?? 0, overall.den[d], overall.denMoments.get(d) as DenMoments, total, level);
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

/** k / n with its cluster Wilson interval (null with fewer than two scenarios in the denominator). */
function proportion(k: number, n: number, den: DenMoments, num: NumMoments, level: number): Proportion {
  if (n === 0) return { k, n, estimate: null, lo: null, hi: null };
  const lin = linearise(den, num);
  const iv = lin ? wilsonClusterInterval(lin, level) : null;
  return { k, n, estimate: k / n, lo: iv ? iv[0] : null, hi: iv ? iv[1] : null };
}
