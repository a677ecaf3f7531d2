import type { GateConfig, GateRule } from '../../../config/gate-schema.js';
import { HARNESS_VERSION } from '../../../core/version.js';
import type { GateResult, GateRuleResult } from '../../../records/diff.js';
import { pairedDesign } from '../diff/diff-profiles.js';
import { describeSide, pairSides, type Side } from '../diff/pair-sides.js';
import { comparePaired } from '../diff/paired-metric.js';
import { normaliseValueName } from '../load/cell-features.js';
import { minimumDetectableEffect, pairedNullSe } from '../stats/mde.js';
import { benjaminiHochberg } from '../stats/multiple-testing.js';
import { createRng, subSeed } from '../stats/prng.js';
import { HypergeometricTables } from '../stats/within-scenario-permutation.js';
import { evaluateMetricRule, ruleMargin } from './rule-verdict.js';

export interface GateOptions {
  gate: GateConfig;
  watchlist: readonly string[];
  allowSuiteMismatch?: boolean;
  allowJudgeMismatch?: boolean;
  now?: () => Date;
}

/** Values a forbid rule names (normalised); `watchlist` expands to the configured list. */
export function forbiddenValues(rule: Extract<GateRule, { forbid: unknown }>, watchlist: readonly string[]): string[] {
  return (rule.forbid === 'watchlist' ? watchlist : rule.forbid).map(normaliseValueName);
}

/** The watch list a candidate must be loaded with so every forbid rule can see its values. */
export function gateWatchlist(gate: GateConfig, watchlist: readonly string[]): string[] {
  const all = new Set(watchlist.map(normaliseValueName));
  for (const r of gate.rules) if ('forbid' in r) for (const v of forbiddenValues(r, watchlist)) all.add(v);
  return [...all];
}

/**
 * Evaluates every gate rule on BASE vs CAND. Metric rules: paired difference, within-scenario
 * permutation p-value (Monte Carlo), BH across the gate's metric rules (the pre-declared family), fail only when the change is
 * beyond the rule's margin AND q < alpha. Forbid rules: fail when a listed value appears in any
 * candidate cell. Load the candidate with `gateWatchlist(...)` so every forbidden value is tracked.
 */
export function runGate(base: Side, cand: Side, options: GateOptions): GateResult {
  const { gate } = options;
  const paired = pairSides(base, cand, { suite: options.allowSuiteMismatch ?? false, judge: options.allowJudgeMismatch ?? false });
  const design = pairedDesign(paired.pairs, paired.domains, gate.resamples, gate.seed);
  const metricRules = gate.rules.filter((r): r is Extract<GateRule, { metric: string }> => 'metric' in r);
  const results: GateRuleResult[] = [];
  const tables = new HypergeometricTables();
  const comparisons = metricRules.map((rule) => {
    const members = paired.pairs.flatMap((p, i) => (rule.domain === undefined || p.domain === rule.domain ? [i] : []));
    const test = { mode: 'exact' as const, resamples: gate.resamples, rng: createRng(subSeed(gate.seed, `gate:${rule.name}`)), tables };
    const c = comparePaired(paired.pairs, members, rule.metric, {
      section: rule.domain ?? '',
      boot: design.boot,
      dens: design.dens,
      level: 0.95,
      test,
    });
    return { rule, members, c };
  });
  const q = benjaminiHochberg(comparisons.map(({ c }) => c.p ?? 1));
  comparisons.forEach(({ rule, members, c }, i) => {
    const se = pairedNullSe(c.perScenario);
    // Worst case for BH: the rule's change is the only one, so it must reach alpha / m.
    const mde = se === null ? null : minimumDetectableEffect(se, gate.alpha / Math.max(1, metricRules.length), 0.8, ruleMargin(rule));
    const v = evaluateMetricRule(rule, { delta: c.delta, q: q[i] as number, alpha: gate.alpha, scenarios: members.length });
    results.push({
      name: rule.name,
      kind: 'metric',
      metric: rule.metric,
      domain: rule.domain ?? null,
      margin: marginOf(rule),
      status: v.status,
      message: v.message,
      base: c.base.estimate,
      cand: c.cand.estimate,
      delta: c.delta,
      lo: c.lo,
      hi: c.hi,
      p: c.p,
      q: c.p === null ? null : (q[i] as number),
      mde,
      hits: [],
    });
  });
  for (const rule of gate.rules) {
    if (!('forbid' in rule)) continue;
    const wanted = forbiddenValues(rule, options.watchlist);
    const hits = wanted.flatMap((value) => {
      const acc = cand.table.watch.get(value);
      if (!acc) return [];
      const cells = rule.domain === undefined ? acc.cells : (acc.byDomain.get(rule.domain) ?? 0);
      if (cells === 0) return [];
      const cellIds = acc.cellIds.filter((_, i) => rule.domain === undefined || acc.cellDomains[i] === rule.domain);
      return [{ value, cells, cellIds }];
    });
    const where = rule.domain ? ` in ${rule.domain}` : '';
    results.push({
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
    });
  }
  const order = new Map(gate.rules.map((r, i) => [r.name, i]));
  results.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
  const verdict = results.some((r) => r.status === 'error') ? 'error' : results.some((r) => r.status === 'fail') ? 'fail' : 'pass';
  return {
    v: 1,
    kind: 'gate',
    generatedAt: (options.now ?? (() => new Date()))().toISOString(),
    verdict,
    exitCode: verdict === 'pass' ? 0 : verdict === 'fail' ? 1 : 2,
    alpha: gate.alpha,
    base: describeSide(base, paired.pairs, 'a'),
    cand: describeSide(cand, paired.pairs, 'b'),
    sharedScenarios: paired.pairs.length,
    warnings: [...paired.warnings, `harness ${HARNESS_VERSION}; ${gate.resamples} resamples, seed ${gate.seed}`],
    rules: results,
  };
}

function marginOf(rule: Extract<GateRule, { metric: string }>): GateRuleResult['margin'] {
  const m: GateRuleResult['margin'] = {};
  if (rule.maxDrop !== undefined) m.maxDrop = rule.maxDrop;
  if (rule.maxRise !== undefined) m.maxRise = rule.maxRise;
  if (rule.maxChange !== undefined) m.maxChange = rule.maxChange;
  return m;
}
