import { marginBand } from '../../../config/gate-margins.js';
import type { GateConfig, GateRule } from '../../../config/gate-schema.js';
import type { GateRuleResult, QFamily } from '../../../records/diff.js';
import type { CorrectedSides } from '../corrected/corrected-sides.js';
import { pairedDesign } from '../diff/diff-profiles.js';
import type { PairedSides } from '../diff/pair-sides.js';
import { comparePaired, type PairedComparison } from '../diff/paired-metric.js';
import { minimumDetectableEffect, pairedNullSe, seFromInterval } from '../stats/mde.js';
import { benjaminiHochberg } from '../stats/multiple-testing.js';
import { createRng, subSeed } from '../stats/prng.js';
import { HypergeometricTables } from '../stats/within-scenario-permutation.js';
import { correctedRuleResults } from './corrected-rules.js';
import { decideFigures } from './decide-figures.js';
import { evaluateMetricRule } from './rule-verdict.js';

type MetricRule = Extract<GateRule, { metric: string }>;

interface RuleComparison {
  rule: MetricRule;
  members: number[];
  /** Domain of each member scenario. */
  domains: string[];
  c: PairedComparison;
}

/** Results of the gate's metric rules, in config order; BH runs across them as one pre-declared family. */
export function evaluateMetricRules(gate: GateConfig, paired: PairedSides, corrected: CorrectedSides | null = null): GateRuleResult[] {
  const metricRules = gate.rules.filter((r): r is MetricRule => 'metric' in r);
  const comparisons = compareRules(gate, paired, metricRules);
  const q = benjaminiHochberg(comparisons.map(({ c }) => c.p ?? 1));
  // Worst case for BH: the rule's change is the only one, so it must reach alpha / m.
  const mdeAlpha = gate.alpha / Math.max(1, metricRules.length);
  const family: QFamily = { correction: 'BH', size: metricRules.length, over: 'gate rules' };
  const judged = comparisons.map((rc, i) => ({ ...metricResult(rc, q[i] as number, gate.alpha, mdeAlpha, family.size), family }));
  if (gate.decideOn !== 'corrected' || corrected === null) return judged;
  const rules = comparisons.map((rc, i) => ({ rule: rc.rule, members: rc.members, result: judged[i]! }));
  return correctedRuleResults(gate, rules, paired, corrected);
}

function compareRules(gate: GateConfig, paired: PairedSides, rules: MetricRule[]): RuleComparison[] {
  const design = pairedDesign(paired.pairs, paired.domains, gate.resamples, gate.seed);
  const tables = new HypergeometricTables();
  return rules.map((rule) => {
    const members = paired.pairs.flatMap((p, i) => (rule.domain === undefined || p.domain === rule.domain ? [i] : []));
    // Each rule draws from its own seeded stream, so adding a rule does not shift the others' p-values.
    const test = { mode: 'exact' as const, resamples: gate.resamples, rng: createRng(subSeed(gate.seed, `gate:${rule.name}`)), tables };
    const c = comparePaired(paired.pairs, members, rule.metric, {
      section: rule.domain ?? '',
      dens: design.dens,
      // The interval the pass test uses and gate.json shows: (1 - alpha), alpha from the gate config.
      level: 1 - gate.alpha,
      test,
    });
    return { rule, members, domains: members.map((i) => paired.pairs[i]?.domain ?? ''), c };
  });
}

function metricResult(
  { rule, members, domains, c }: RuleComparison,
  q: number,
  alpha: number,
  mdeAlpha: number,
  rules: number,
): GateRuleResult {
  // No within-scenario variance (every scenario all-0 or all-n on both sides): the null SE is 0 and
  // would claim the margin itself is visible; the SE the interval implies is the honest one then.
  const nullSe = pairedNullSe(c.perScenario);
  const se = nullSe !== null && nullSe > 0 ? nullSe : c.lo !== null && c.hi !== null ? seFromInterval(c.lo, c.hi, 1 - alpha) : null;
  const { margin, ...band } = marginBand(rule);
  const mde = se === null || se === 0 ? null : minimumDetectableEffect(se, mdeAlpha, 0.8, margin);
  const v = evaluateMetricRule(rule, {
    delta: c.delta,
    q,
    rules,
    alpha,
    scenarios: members.length,
    lo: c.lo,
    hi: c.hi,
    mde,
    decide: decideFigures({ perScenario: c.perScenario, domains, band, margin, alpha, rules }),
  });
  return {
    name: rule.name,
    kind: 'metric',
    metric: rule.metric,
    domain: rule.domain ?? null,
    margin: marginOf(rule),
    status: v.status,
    message: v.message,
    reason: v.reason,
    samplesNeeded: v.samplesNeeded,
    scenariosNeeded: v.scenariosNeeded,
    base: c.base.estimate,
    cand: c.cand.estimate,
    delta: c.delta,
    lo: c.lo,
    hi: c.hi,
    p: c.p,
    q: c.p === null ? null : q,
    mde,
    hits: [],
  };
}

function marginOf(rule: MetricRule): GateRuleResult['margin'] {
  const m: GateRuleResult['margin'] = {};
  if (rule.maxDrop !== undefined) m.maxDrop = rule.maxDrop;
  if (rule.maxRise !== undefined) m.maxRise = rule.maxRise;
  if (rule.maxChange !== undefined) m.maxChange = rule.maxChange;
  return m;
}
