import { marginBand } from '../../../config/gate-margins.js';
import type { GateConfig, GateRule } from '../../../config/gate-schema.js';
import type { GateRuleResult } from '../../../records/diff.js';
import { type CorrectedSides, correctedDifference } from '../corrected/corrected-sides.js';
import type { PairedSides } from '../diff/pair-sides.js';
import { minimumDetectableEffect } from '../stats/mde.js';
import { benjaminiHochberg } from '../stats/multiple-testing.js';
import { type PpiRuleEvidence, ppiRuleEvidence } from '../stats/ppi-decision.js';
import type { PpiDifference } from '../stats/ppi-difference.js';
import type { PpiShare } from '../stats/ppi-share.js';
import { evaluateMetricRule } from './rule-verdict.js';

type MetricRule = Extract<GateRule, { metric: string }>;

/** A metric rule's judge-side result (metric-rules.ts), which the corrected figures replace. */
export interface JudgeRuleResult {
  rule: MetricRule;
  members: number[];
  result: GateRuleResult;
}

const pts = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`;

/**
 * The gate's metric rules decided on judge-corrected changes (gate.decideOn: corrected; docs/statistics.md,
 * "Judge-corrected estimates", "Gate"): each rule's corrected change and its (1 - alpha) interval, its p
 * in the same BH family of the gate's metric rules, the same three verdicts. A rule whose metric has
 * too few labels on either side is inconclusive with the reason: never a silent fall back to the judge.
 */
export function correctedRuleResults(
  gate: GateConfig,
  judged: readonly JudgeRuleResult[],
  paired: PairedSides,
  sides: CorrectedSides,
): GateRuleResult[] {
  const diffs = judged.map(({ rule, members }) =>
    correctedDifference(
      sides,
      rule.metric,
      members.map((i) => paired.pairs[i]!),
      1 - gate.alpha,
    ),
  );
  const evidence = diffs.map((d, i) => ppiRuleEvidence(d, marginBand(judged[i]!.rule)));
  // Insufficient rules stay in the family (it is the gate's pre-declared rules) with p = 1.
  const q = benjaminiHochberg(evidence.map((e) => e?.p ?? 1));
  const mdeAlpha = gate.alpha / Math.max(1, judged.length);
  return judged.map((j, i) =>
    correctedResult(j, diffs[i]!, evidence[i] ?? null, q[i] as number, { alpha: gate.alpha, mdeAlpha, rules: judged.length }),
  );
}

function correctedResult(
  { rule, members, result }: JudgeRuleResult,
  d: PpiDifference & { shares: [PpiShare, PpiShare] },
  e: PpiRuleEvidence | null,
  q: number,
  o: { alpha: number; mdeAlpha: number; rules: number },
): GateRuleResult {
  const judgeOnly = Number.isFinite(d.judgeOnly) ? d.judgeOnly : null;
  const corrected = {
    sufficient: d.sufficient,
    ...(d.reason !== null ? { reason: d.reason } : {}),
    judgeOnly,
    humanOnly: d.humanOnly ? { estimate: d.humanOnly.estimate, lo: d.humanOnly.lo, hi: d.humanOnly.hi } : null,
    lambda: d.lambda,
  };
  const base = { ...result, decidedOn: 'corrected' as const, corrected, samplesNeeded: null, scenariosNeeded: null };
  if (members.length === 0 || !e) {
    if (members.length === 0) return base;
    const where = rule.domain ? ` in ${rule.domain}` : '';
    const reason = `too few human labels to decide on judge-corrected estimates (${d.reason ?? 'no corrected figure'}); the judge alone reads a change of ${judgeOnly === null ? '–' : pts(judgeOnly)}, which gate.decideOn: corrected does not use`;
    const none = { base: null, cand: null, delta: null, lo: null, hi: null, p: null, q: null, mde: null };
    return { ...base, ...none, status: 'inconclusive', reason, message: `${rule.metric}${where}: inconclusive: ${reason}` };
  }
  const { margin } = marginBand(rule);
  const mde = e.se > 0 ? minimumDetectableEffect(e.se, o.mdeAlpha, 0.8, margin) : null;
  const v = evaluateMetricRule(rule, {
    delta: e.delta,
    q,
    rules: o.rules,
    alpha: o.alpha,
    scenarios: members.length,
    lo: e.lo,
    hi: e.hi,
    mde,
  });
  return {
    ...base,
    status: v.status,
    message: `${v.message} (judge-corrected; the judge alone: ${judgeOnly === null ? '–' : pts(judgeOnly)})`,
    reason: v.reason,
    base: d.shares[0].corrected?.estimate ?? null,
    cand: d.shares[1].corrected?.estimate ?? null,
    delta: e.delta,
    lo: e.lo,
    hi: e.hi,
    p: e.p,
    q,
    mde,
  };
}
