import type { GateRule } from './gate-schema.js';

type Margins = Pick<Extract<GateRule, { metric: string }>, 'maxDrop' | 'maxRise' | 'maxChange'>;

/**
 * What a metric rule's margins accept, as the gate's verdict and the power plan both read them:
 * the band [lower, upper] of acceptable changes (every margin that is set must hold; an unguarded
 * direction is unbounded) and the margin in the rule's direction (the smallest one set). A rule with
 * no margin accepts only no change at all, [0, 0], margin 0: it fails on any significant change and
 * can never pass (no interval lies strictly inside [0, 0]).
 */
export function marginBand(rule: Margins): { lower: number; upper: number; margin: number } {
  const set = [rule.maxDrop, rule.maxRise, rule.maxChange].filter((m): m is number => m !== undefined);
  if (set.length === 0) return { lower: 0, upper: 0, margin: 0 };
  const lower = -Math.min(rule.maxDrop ?? Number.POSITIVE_INFINITY, rule.maxChange ?? Number.POSITIVE_INFINITY);
  const upper = Math.min(rule.maxRise ?? Number.POSITIVE_INFINITY, rule.maxChange ?? Number.POSITIVE_INFINITY);
  return { lower, upper, margin: Math.min(...set) };
}
