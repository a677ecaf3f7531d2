import type { MetricAlias, MetricDiff } from '../../../records/diff.js';
import { benjaminiHochberg } from '../stats/multiple-testing.js';
import { groupMetrics } from './metric-groups.js';
import type { PairedSides } from './pair-sides.js';
import { compareAcrossDomains, MetricIndex, type PairedComparison, type PairedContext } from './paired-metric.js';

/** The scenarios (indices into the pairs) of one domain. */
export interface DomainMembers {
  domain: string;
  members: number[];
}

/** Every shared scenario (indices into the pairs), and each domain's. */
export function domainSections(paired: Pick<PairedSides, 'pairs' | 'domains'>): { all: number[]; byDomain: DomainMembers[] } {
  const all = paired.pairs.map((_, i) => i);
  return { all, byDomain: paired.domains.map((domain) => ({ domain, members: all.filter((i) => paired.pairs[i]!.domain === domain) })) };
}

/** Each metric's per-scenario counts on both sides, indexed once for every comparison of the pair. */
export function metricIndexOf(paired: Pick<PairedSides, 'pairs' | 'domains'>): MetricIndex {
  const domainOf = Int32Array.from(paired.pairs, (p) => paired.domains.indexOf(p.domain));
  return new MetricIndex(paired.pairs, domainOf, paired.domains.length);
}

/** The finest breakdowns (single values, l1 clusters) are compared overall only, not per domain. */
function perDomainMetric(metric: string): boolean {
  return !metric.startsWith('value:') && !metric.startsWith('category:l1:');
}

function metricRow(metric: string, domain: string | null, c: PairedComparison, aliases: MetricAlias[] | undefined): MetricDiff {
  const row: MetricDiff = {
    metric,
    domain,
    base: c.base,
    cand: c.cand,
    delta: c.delta,
    lo: c.lo,
    hi: c.hi,
    p: c.p,
    q: null,
    significant: false,
  };
  if (aliases) row.aliases = aliases;
  return row;
}

/**
 * Every metric either side counts, in metric order: its overall row, then its domain rows. Duplicates
 * and complements (metric-groups.ts) get no rows of their own: they are listed as their
 * representative's aliases. q is filled in later, across the family.
 */
export function compareMetrics(
  paired: Pick<PairedSides, 'pairs' | 'domains'>,
  all: readonly number[],
  byDomain: readonly DomainMembers[],
  design: Pick<PairedContext, 'dens'>,
  settings: { level: number; minCount: number },
): MetricDiff[] {
  const index = metricIndexOf(paired);
  const groups = groupMetrics(index);
  const rows: MetricDiff[] = [];
  for (const metric of [...index.entries.keys()].sort()) {
    if (groups.aliased.has(metric)) continue;
    const aliases = groups.aliases.get(metric);
    const r = compareAcrossDomains(index, byDomain, all, metric, {
      dens: design.dens,
      level: settings.level,
      test: { mode: 'normal' },
      minCount: settings.minCount,
      perDomain: perDomainMetric(metric),
    });
    rows.push(metricRow(metric, null, r.overall, aliases));
    r.domains.forEach((c, i) => {
      if (c) rows.push(metricRow(metric, byDomain[i]!.domain, c, aliases));
    });
  }
  return rows;
}

/** Benjamini-Hochberg across the rows that were tested; sets their q and significance and returns them. */
export function markSignificant(rows: readonly MetricDiff[], alpha: number): MetricDiff[] {
  const tested = rows.filter((r) => r.p !== null);
  const q = benjaminiHochberg(tested.map((r) => r.p as number));
  tested.forEach((r, i) => {
    r.q = q[i] as number;
    r.significant = r.q < alpha;
  });
  return tested;
}

/** Sort order of diff.json's metrics: significant first, then by the size of the change, then by name. */
export function byImportance(x: MetricDiff, y: MetricDiff): number {
  return Number(y.significant) - Number(x.significant) || Math.abs(y.delta ?? 0) - Math.abs(x.delta ?? 0) || (x.metric < y.metric ? -1 : 1);
}
