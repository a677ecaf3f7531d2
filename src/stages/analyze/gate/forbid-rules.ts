import type { GateRule } from '../../../config/gate-schema.js';
import { type GateRuleResult, twoStateRuleResult } from '../../../records/diff.js';
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
  const untracked = wanted.filter((v) => cand.run.untracked?.includes(v));
  if (untracked.length > 0) return untrackedResult(rule, cand, untracked);
  const hits = forbidHits(rule, cand, wanted);
  const where = rule.domain ? ` in ${rule.domain}` : '';
  return twoStateRuleResult({
    name: rule.name,
    kind: 'forbid',
    domain: rule.domain ?? null,
    failed: hits.length > 0,
    message:
      hits.length > 0
        ? `forbidden value${hits.length > 1 ? 's' : ''} expressed${where}: ${hits.map((h) => `${h.value} (${h.cells} cells, e.g. ${h.cellIds[0] ?? '?'})`).join(', ')}`
        : `none of ${wanted.join(', ')} expressed${where}`,
    hits,
  });
}

/**
 * A candidate baseline saved without tracking a forbidden value cannot show whether it was expressed:
 * an error, never a silent pass.
 */
function untrackedResult(rule: ForbidRule, cand: Side, untracked: string[]): GateRuleResult {
  const file = cand.run.baseline?.file ?? cand.spec.spec;
  const result = twoStateRuleResult({
    name: rule.name,
    kind: 'forbid',
    domain: rule.domain ?? null,
    failed: false,
    message:
      `cannot check ${untracked.join(', ')}: the candidate baseline ${file} did not track ${untracked.length > 1 ? 'them' : 'it'} when it was saved; ` +
      `save it again with this gate's config (valuescope baseline save RUN_DIR#${cand.table.modelId} --config CONFIG --out ${file}), or gate the run directory`,
    hits: [],
  });
  return { ...result, status: 'error' };
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
