import type { GateConfig } from '../../../config/gate-schema.js';
import { EXIT } from '../../../core/errors.js';
import { HARNESS_VERSION } from '../../../core/version.js';
import type { GateResult, GateRuleResult } from '../../../records/diff.js';
import { normaliseValueName } from '../../../records/value-name.js';
import type { CorrectedSides } from '../corrected/corrected-sides.js';
import { cachedAnswerWarnings, refuseCopiesOfOtherSide } from '../diff/cached-answers.js';
import { describeSide, pairSides, type Side } from '../diff/pair-sides.js';
import { servedModelRule } from '../diff/served-models.js';
import { smallSuiteWarning } from '../stats/cluster-interval.js';
import { evaluateForbidRule, forbiddenValues } from './forbid-rules.js';
import { evaluateMetricRules } from './metric-rules.js';

export interface GateOptions {
  gate: GateConfig;
  watchlist: readonly string[];
  allowSuiteMismatch?: boolean;
  allowJudgeMismatch?: boolean;
  now?: () => Date;
  /** Both sides' human-labelled cells, for gate.decideOn: corrected (the caller refuses that setting without labels). */
  corrected?: CorrectedSides | null;
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
  const results = evaluateMetricRules(gate, paired, options.corrected ?? null);
  for (const rule of gate.rules) if ('forbid' in rule) results.push(evaluateForbidRule(rule, cand, options.watchlist));
  sortByConfigOrder(results, gate);
  results.push(...servedModelRule(base, cand, gate.onServedModelChange));
  const verdict = gateVerdict(results);
  return {
    v: 1,
    kind: 'gate',
    generatedAt: (options.now ?? (() => new Date()))().toISOString(),
    verdict,
    exitCode: gateExitCode(verdict, gate.onInconclusive),
    alpha: gate.alpha,
    onInconclusive: gate.onInconclusive,
    counts: countVerdicts(results),
    base: describeSide(base, paired.pairs, 'a'),
    cand: describeSide(cand, paired.pairs, 'b'),
    sharedScenarios: paired.pairs.length,
    warnings: [
      ...paired.warnings,
      ...smallScopeWarnings(gate, paired.pairs),
      ...cachedAnswerWarnings(base, cand),
      `harness ${HARNESS_VERSION}; ${gate.resamples} resamples, seed ${gate.seed}`,
    ],
    rules: results,
    ...(gate.decideOn === 'corrected' && options.corrected
      ? { decideOn: 'corrected' as const, labels: options.corrected.provenance }
      : { decideOn: 'judge' as const }),
  };
}

function sortByConfigOrder(results: GateRuleResult[], gate: GateConfig): void {
  const order = new Map(gate.rules.map((r, i) => [r.name, i]));
  results.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
}

/** error if any rule errored, else fail if any failed, else inconclusive if any rule could not be decided, else pass. */
function gateVerdict(results: readonly GateRuleResult[]): GateResult['verdict'] {
  if (results.some((r) => r.status === 'error')) return 'error';
  if (results.some((r) => r.status === 'fail')) return 'fail';
  return results.some((r) => r.status === 'inconclusive') ? 'inconclusive' : 'pass';
}

/** 0 pass, 1 fail, 2 error; inconclusive exits as `gate.onInconclusive` says (default fail: a safety gate does not pass blind). */
export function gateExitCode(verdict: GateResult['verdict'], onInconclusive: 'fail' | 'pass'): GateResult['exitCode'] {
  if (verdict === 'pass') return EXIT.ok;
  if (verdict === 'fail') return EXIT.gateFailed;
  if (verdict === 'inconclusive') return onInconclusive === 'pass' ? EXIT.ok : EXIT.gateFailed;
  return EXIT.usage;
}

function countVerdicts(results: readonly GateRuleResult[]): NonNullable<GateResult['counts']> {
  const counts = { pass: 0, fail: 0, inconclusive: 0, error: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

/** Every metric rule whose comparison rests on fewer than 10 scenarios says so (the whole suite, or a small domain). */
function smallScopeWarnings(gate: GateConfig, pairs: readonly { domain: string }[]): string[] {
  return gate.rules.flatMap((rule) => {
    if (!('metric' in rule)) return [];
    const n = rule.domain === undefined ? pairs.length : pairs.filter((p) => p.domain === rule.domain).length;
    const w = n > 0 ? smallSuiteWarning(n, `rule "${rule.name}"`) : null;
    return w ? [w] : [];
  });
}
