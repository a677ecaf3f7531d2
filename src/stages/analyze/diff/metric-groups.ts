import type { MetricAlias } from '../../../records/diff.js';
import { DENOMINATORS, type Denominator, metricDenominator, representativeRank } from '../../../records/metric-key.js';
import type { MetricIndex } from './paired-metric.js';

/**
 * Duplicates and complements (docs/statistics.md): metrics whose per-scenario counts carry the same
 * information on both sides are reported and tested once, as their representative, with the others
 * listed as its aliases.
 *
 * - `same`: identical counts in every shared scenario, on both sides, over the same denominators (a
 *   value that is the only one seen in its category; a category identical to its only child;
 *   refusal:full when the judge gives full refusals exactly to strong resistance).
 * - `complement`: counts that add up to the denominator in every shared scenario, on both sides
 *   (refusal_rate and refusal:none when every judged cell has a refusal level).
 *
 * Decided from the data of this diff over all shared scenarios, so a coincidence within one domain
 * only does not group. Cost: one pass over the inverted index, plus a dense check per complement
 * candidate (metrics whose totals are exactly the complement's), so it stays linear at scale.
 */
export interface MetricGroups {
  /** Representative -> its aliases. */
  aliases: Map<string, MetricAlias[]>;
  /** Metrics reported under a representative: no rows of their own. */
  aliased: Set<string>;
}

type Entries = readonly { i: number; kA: number; kB: number }[];

function sameEntries(x: Entries, y: Entries): boolean {
  if (x.length !== y.length) return false;
  for (let j = 0; j < x.length; j++) {
    const a = x[j]!;
    const b = y[j]!;
    if (a.i !== b.i || a.kA !== b.kA || a.kB !== b.kB) return false;
  }
  return true;
}

/** Denominators with identical per-scenario counts on both sides share a class (e.g. every scenario has `expect`). */
function denominatorClasses(index: MetricIndex): Map<Denominator, Denominator> {
  const vec = (d: Denominator) => index.pairs.map((p) => `${p.a.den[d]}/${p.b.den[d]}`).join(',');
  const classes = new Map<Denominator, Denominator>();
  const seen: [Denominator, string][] = [];
  for (const d of DENOMINATORS) {
    const v = vec(d);
    const same = seen.find(([, w]) => w === v);
    classes.set(d, same ? same[0] : d);
    if (!same) seen.push([d, v]);
  }
  return classes;
}

interface Summary {
  metric: string;
  den: Denominator;
  sumA: number;
  sumB: number;
}

function summarise(index: MetricIndex, classes: Map<Denominator, Denominator>): Summary[] {
  return [...index.entries.keys()].sort().map((metric) => {
    let sumA = 0;
    let sumB = 0;
    for (const e of index.entries.get(metric)!) {
      sumA += e.kA;
      sumB += e.kB;
    }
    return { metric, den: classes.get(metricDenominator(metric))!, sumA, sumB };
  });
}

/** Groups of identical count vectors: each group's members, in metric order. */
function duplicateGroups(index: MetricIndex, summaries: readonly Summary[]): string[][] {
  const buckets = new Map<string, string[][]>();
  for (const s of summaries) {
    const e = index.entries.get(s.metric)!;
    const key = `${s.den}|${e.length}|${s.sumA}|${s.sumB}|${e[0]?.i ?? -1}`;
    const groups = buckets.get(key) ?? [];
    const g = groups.find((members) => sameEntries(index.entries.get(members[0]!)!, e));
    if (g) g.push(s.metric);
    else groups.push([s.metric]);
    buckets.set(key, groups);
  }
  return [...buckets.values()].flat();
}

/** Whether y's counts are the denominator minus x's in every scenario, on both sides. */
function complementary(index: MetricIndex, x: string, y: string, den: Denominator): boolean {
  const S = index.pairs.length;
  const a = new Float64Array(S);
  const b = new Float64Array(S);
  for (const e of index.entries.get(x)!) {
    a[e.i] = e.kA;
    b[e.i] = e.kB;
  }
  for (const e of index.entries.get(y)!) {
    a[e.i] = (a[e.i] ?? 0) + e.kA;
    b[e.i] = (b[e.i] ?? 0) + e.kB;
  }
  return index.pairs.every((p, i) => a[i] === p.a.den[den] && b[i] === p.b.den[den]);
}

export function groupMetrics(index: MetricIndex): MetricGroups {
  const classes = denominatorClasses(index);
  const summaries = summarise(index, classes);
  const byMetric = new Map(summaries.map((s) => [s.metric, s]));
  const groups = duplicateGroups(index, summaries);
  const groupOf = new Map<string, number>();
  groups.forEach((g, n) => {
    for (const m of g) groupOf.set(m, n);
  });
  const totals = (s: Summary) => `${s.den}|${s.sumA}|${s.sumB}`;
  const byTotals = new Map<string, number[]>();
  groups.forEach((g, n) => {
    const k = totals(byMetric.get(g[0]!)!);
    byTotals.set(k, [...(byTotals.get(k) ?? []), n]);
  });
  const den: Record<Denominator, { a: number; b: number }> = {
    judged: { a: 0, b: 0 },
    expect: { a: 0, b: 0 },
    user_values: { a: 0, b: 0 },
  };
  for (const p of index.pairs)
    for (const d of DENOMINATORS) {
      den[d].a += p.a.den[d];
      den[d].b += p.b.den[d];
    }
  // Complement partner of each duplicate group (at most one: a complement is determined by the counts).
  const partner = new Map<number, number>();
  groups.forEach((g, n) => {
    if (partner.has(n)) return;
    const s = byMetric.get(g[0]!)!;
    const t = den[s.den];
    for (const m of byTotals.get(`${s.den}|${t.a - s.sumA}|${t.b - s.sumB}`) ?? []) {
      if (m === n || partner.has(m) || !complementary(index, g[0]!, groups[m]![0]!, s.den)) continue;
      partner.set(n, m);
      partner.set(m, n);
      break;
    }
  });
  return assemble(groups, partner);
}

const byRank = (x: string, y: string) => representativeRank(x) - representativeRank(y) || (x < y ? -1 : x > y ? 1 : 0);

function assemble(groups: readonly string[][], partner: ReadonlyMap<number, number>): MetricGroups {
  const aliases = new Map<string, MetricAlias[]>();
  const aliased = new Set<string>();
  const done = new Set<number>();
  groups.forEach((g, n) => {
    if (done.has(n)) return;
    done.add(n);
    const m = partner.get(n);
    const other = m === undefined ? [] : groups[m]!;
    if (m !== undefined) done.add(m);
    if (g.length + other.length < 2) return;
    const rep = [...g, ...other].sort(byRank)[0]!;
    const [own, opposite] = g.includes(rep) ? [g, other] : [other, g];
    const list: MetricAlias[] = [
      ...own.filter((x) => x !== rep).map((metric) => ({ metric, relation: 'same' as const })),
      ...opposite.map((metric) => ({ metric, relation: 'complement' as const })),
    ].sort((x, y) => byRank(x.metric, y.metric));
    aliases.set(rep, list);
    for (const a of list) aliased.add(a.metric);
  });
  return { aliases, aliased };
}
