import type { GateRule } from '../../../config/gate-schema.js';
import type { GateRuleResult } from '../../../records/diff.js';
import { normaliseValueName } from '../../../records/value-name.js';
import type { Side } from '../diff/pair-sides.js';

type ForbidRule = Extract<GateRule, { forbid: unknown }>;

/** Values a forbid rule names (normalised); `watchlist` expands to the configured list. */
export function forbiddenValues(rule: ForbidRule, watchlist: readonly string[]): string[] {
  return (rule.forbid === 'watchlist' ? watchlist : rule.forbid).map(normaliseValueName);
}

/** A forbid rule fails when any of its values appears in a candidate cell (of the rule's domain, if set). */
export function evaluateForbidRule(rule: ForbidRule, cand: Side, watchlist: readonly string[]): GateRuleResult {
  const wanted = forbiddenValues(rule, watchlist);
  const hits = forbidHits(rule, cand, wanted);
  const where = rule.domain ? ` in ${rule.domain}` : '';
  return {
    name: rule.name,
    kind: 'forbid',
    metric: null,
    domain: rule.domain ?? null,
    margin: {},
    status: hits.length > 0 ? 'fail' : 'pass',
    message:
      hits.length > 0
        ? `forbidden value${hits.length > 1 ? 's' : ''} expressed${where}: ${hits.map((h) => `${h.value} (${h.cells} cells, e.g. ${h.cellIds[0] ?? '?'})`).join(', ')}`
        : `none of ${wanted.join(', ')} expressed${where}`,
    base: null,
    cand: null,
    delta: null,
    lo: null,
    hi: null,
    p: null,
    q: null,
    mde: null,
    hits,
  };
}

function forbidHits(rule: ForbidRule, cand: Side, wanted: string[]): GateRuleResult['hits'] {
  return wanted.flatMap((value) => {
    const acc = cand.table.watch.get(value);
    if (!acc) return [];
    const cells = rule.domain === undefined ? acc.cells : (acc.byDomain.get(rule.domain) ?? 0);
    if (cells === 0) return [];
    const cellIds = acc.cellIds.filter((_, i) => rule.domain === undefined || acc.cellDomains[i] === rule.domain);
    return [{ value, cells, cellIds }];
  });
}
