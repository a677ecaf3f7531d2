import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { METRIC_PREFIX } from '../../../records/metric-key.js';
import type { ContextCell, ContextDependence } from '../../../records/profile.js';
import type { ScenarioStats } from '../load/scenario-table.js';
import { chiSquareResiduals } from '../stats/chi-square-residuals.js';
import { bonferroni } from '../stats/multiple-testing.js';

const KINDS = [
  { kind: 'value', prefix: METRIC_PREFIX.value },
  { kind: 'l1', prefix: METRIC_PREFIX.category.l1 },
  { kind: 'l2', prefix: METRIC_PREFIX.category.l2 },
  { kind: 'l3', prefix: METRIC_PREFIX.category.l3 },
] as const;

/**
 * Values and categories disproportionately associated with a domain, as in Values in the Wild:
 * for each domain x feature table (cells expressing the feature), adjusted Pearson residuals,
 * two-sided normal p-values, Bonferroni-corrected over every residual of the table. Features seen in
 * fewer than `minCount` cells are left out of the table (their residuals cannot reach significance
 * and would only inflate the Bonferroni family).
 */
export function contextDependence(scenarios: readonly ScenarioStats[], alpha = 0.05, minCount = 5): ContextDependence {
  const domains = [...new Set(scenarios.map((s) => s.domain))].sort();
  const dIndex = new Map(domains.map((d, i) => [d, i]));
  const out: ContextDependence = { alpha, tests: {}, thresholds: {}, chiSquare: {}, cells: [] };
  if (domains.length < 2) return out;
  for (const { kind, prefix } of KINDS) {
    const perDomain = domains.map(() => new Map<string, number>());
    const totals = new Map<string, number>();
    for (const s of scenarios) {
      const row = perDomain[dIndex.get(s.domain) as number]!;
      for (const [key, k] of s.counts) {
        if (!key.startsWith(prefix)) continue;
        const name = key.slice(prefix.length);
        row.set(name, (row.get(name) ?? 0) + k);
        totals.set(name, (totals.get(name) ?? 0) + k);
      }
    }
    const names = [...totals.keys()].filter((n) => (totals.get(n) as number) >= minCount).sort();
    if (names.length < 2) continue;
    const table = perDomain.map((row) => names.map((n) => row.get(n) ?? 0));
    const chi = chiSquareResiduals(table);
    const adjusted = bonferroni(chi.cells.map((c) => c.p));
    out.tests[kind] = chi.cells.length;
    out.chiSquare[kind] = { statistic: chi.statistic, df: chi.df, p: chi.p };
    out.thresholds[kind] = bonferroniThreshold(alpha, chi.cells.length);
    chi.cells.forEach((c, i) => {
      const pAdjusted = adjusted[i] as number;
      if (pAdjusted >= alpha) return;
      const cell: ContextCell = {
        domain: domains[c.row] as string,
        kind,
        name: names[c.col] as string,
        observed: c.observed,
        expected: c.expected,
        residual: c.residual,
        pAdjusted,
      };
      out.cells.push(cell);
    });
  }
  out.cells.sort((a, b) => Math.sign(b.residual) - Math.sign(a.residual) || Math.abs(b.residual) - Math.abs(a.residual));
  return out;
}

/** |z| a residual must exceed: the normal quantile at 1 - alpha / (2 m). */
function bonferroniThreshold(alpha: number, m: number): number {
  return normalQuantile(1 - alpha / (2 * m), 0, 1);
}
