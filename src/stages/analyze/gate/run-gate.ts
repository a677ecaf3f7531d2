import type { GateConfig } from '../../../config/gate-schema.js';
import { EXIT } from '../../../core/errors.js';
import { HARNESS_VERSION } from '../../../core/version.js';
import type { GateResult, GateRuleResult } from '../../../records/diff.js';
import { normaliseValueName } from '../../../records/value-name.js';
import { cachedAnswerWarnings, refuseCopiesOfOtherSide } from '../diff/cached-answers.js';
import { describeSide, pairSides, type Side } from '../diff/pair-sides.js';
import { evaluateForbidRule, forbiddenValues } from './forbid-rules.js';
import { evaluateMetricRules } from './metric-rules.js';

export interface GateOptions {
  gate: GateConfig;
  watchlist: readonly string[];
  allowSuiteMismatch?: boolean;
  allowJudgeMismatch?: boolean;
  now?: () => Date;
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
 * Refuses (ComparabilityError, exit 2) a side whose answers are copies of the other side's run;
 * other cached answers become warnings.
 */
export function runGate(base: Side, cand: Side, options: GateOptions): GateResult {
  const { gate } = options;
  const paired = pairSides(base, cand, { suite: options.allowSuiteMismatch ?? false, judge: options.allowJudgeMismatch ?? false });
  refuseCopiesOfOtherSide(base, cand);
  const results = evaluateMetricRules(gate, paired);
  for (const rule of gate.rules) if ('forbid' in rule) results.push(evaluateForbidRule(rule, cand, options.watchlist));
  sortByConfigOrder(results, gate);
  const verdict = gateVerdict(results);
  return {
    v: 1,
    kind: 'gate',
    generatedAt: (options.now ?? (() => new Date()))().toISOString(),
    verdict,
    exitCode: verdict === 'pass' ? EXIT.ok : verdict === 'fail' ? EXIT.gateFailed : EXIT.usage,
    alpha: gate.alpha,
    base: describeSide(base, paired.pairs, 'a'),
    cand: describeSide(cand, paired.pairs, 'b'),
    sharedScenarios: paired.pairs.length,
    warnings: [
      ...paired.warnings,
      ...cachedAnswerWarnings(base, cand),
      `harness ${HARNESS_VERSION}; ${gate.resamples} resamples, seed ${gate.seed}`,
    ],
    rules: results,
  };
}

function sortByConfigOrder(results: GateRuleResult[], gate: GateConfig): void {
  const order = new Map(gate.rules.map((r, i) => [r.name, i]));
  results.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
}

function gateVerdict(results: readonly GateRuleResult[]): GateResult['verdict'] {
  if (results.some((r) => r.status === 'error')) return 'error';
  return results.some((r) => r.status === 'fail') ? 'fail' : 'pass';
}
