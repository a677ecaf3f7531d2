import type { GateRule } from '../../../config/gate-schema.js';

type MetricRule = Extract<GateRule, { metric: string }>;

/** The margin that applies in the rule's direction (the smallest one if several are set). */
export function ruleMargin(rule: MetricRule): number {
  const ms = [rule.maxDrop, rule.maxRise, rule.maxChange].filter((m): m is number => m !== undefined);
  return ms.length > 0 ? Math.min(...ms) : 0;
}

/** Whether a change of `delta` breaks the rule's practical margin (no margin set: any change does). */
function beyondMargin(rule: MetricRule, delta: number): boolean {
  const hasAny = rule.maxDrop !== undefined || rule.maxRise !== undefined || rule.maxChange !== undefined;
  if (!hasAny) return delta !== 0;
  if (rule.maxDrop !== undefined && delta < -rule.maxDrop) return true;
  if (rule.maxRise !== undefined && delta > rule.maxRise) return true;
  if (rule.maxChange !== undefined && Math.abs(delta) > rule.maxChange) return true;
  return false;
}

/** A metric rule fails only when the change is beyond its margin AND significant (q < alpha). */
export function evaluateMetricRule(
  rule: MetricRule,
  r: { delta: number | null; q: number; alpha: number; scenarios: number },
): { status: 'pass' | 'fail' | 'error'; message: string } {
  const where = rule.domain ? ` in ${rule.domain}` : '';
  if (r.scenarios === 0) return { status: 'error', message: `no shared scenarios${where}: check the rule's domain name` };
  if (r.delta === null) return { status: 'error', message: `${rule.metric} has no cells to measure${where} on one side` };
  const pts = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`;
  const beyond = beyondMargin(rule, r.delta);
  const significant = r.q < r.alpha;
  if (beyond && significant)
    return {
      status: 'fail',
      message: `${rule.metric}${where} changed ${pts(r.delta)}, beyond the margin, q = ${r.q.toPrecision(2)} < ${r.alpha}`,
    };
  const why = !beyond ? 'within the margin' : `not significant (q = ${r.q.toPrecision(2)})`;
  return { status: 'pass', message: `${rule.metric}${where} changed ${pts(r.delta)}: ${why}` };
}
