import type { Scenario } from './schema.js';

export interface SuiteStats {
  total: number;
  multiTurn: number;
  byDomain: { domain: string; count: number; multiTurn: number; withExpect: number; withUserValues: number }[];
}

function isMultiTurn(s: Pick<Scenario, 'messages'>): boolean {
  return s.messages.filter((m) => m.role === 'user').length > 1;
}

export function suiteStats(scenarios: readonly Scenario[]): SuiteStats {
  const by = new Map<string, SuiteStats['byDomain'][number]>();
  for (const s of scenarios) {
    const d = by.get(s.domain) ?? { domain: s.domain, count: 0, multiTurn: 0, withExpect: 0, withUserValues: 0 };
    d.count++;
    if (isMultiTurn(s)) d.multiTurn++;
    if (s.expect) d.withExpect++;
    if (s.userValues.length > 0) d.withUserValues++;
    by.set(s.domain, d);
  }
  const byDomain = [...by.values()].sort((a, b) => a.domain.localeCompare(b.domain));
  return { total: scenarios.length, multiTurn: byDomain.reduce((n, d) => n + d.multiTurn, 0), byDomain };
}
