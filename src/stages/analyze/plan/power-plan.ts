import { marginBand } from '../../../config/gate-margins.js';
import type { GateConfig, GateRule } from '../../../config/gate-schema.js';
import { metricDenominator } from '../../../records/metric-key.js';
import type { Scenario } from '../../../scenarios/schema.js';
import { domainStrata } from '../stats/cluster-interval.js';
import {
  DEFAULT_MEAN,
  DEFAULT_RHO,
  passProbability,
  plannedMde,
  type RateVariance,
  type RuleDesign,
  rateVariance,
  samplesNeeded,
  scenariosNeeded,
} from './power-math.js';

export type MetricRule = Extract<GateRule, { metric: string }>;

/** What the plan needs of a scenario: its domain and whether it is in a metric's denominator. */
export type ScenarioShape = Pick<Scenario, 'domain' | 'expect' | 'userValues'>;

export interface VarianceChoice {
  variance: RateVariance;
  /** Where the variance came from, for the table ("default", "run: ..."). */
  source: string;
}

export const DEFAULT_VARIANCE: VarianceChoice = {
  variance: rateVariance(DEFAULT_MEAN, DEFAULT_RHO),
  source: `default p ${DEFAULT_MEAN}, ρ ${DEFAULT_RHO}`,
};

export interface PowerPlanRow {
  rule: string;
  metric: string;
  domain: string | null;
  scenarios: number;
  samples: number;
  margin: string;
  /** Smallest true change the rule fails on with 80% power (alpha / metric rules, its margin). */
  mde: number | null;
  /** Probability that identical models PASS at the planned samples. */
  pass: number;
  /** Samples per scenario at which identical models PASS with 80% probability; null when samples cannot do it. */
  samplesNeeded: number | null;
  /** Scenarios (at the planned samples) at which they do; null when no suite does (no margin). */
  scenariosNeeded: number | null;
  variance: string;
  advice: string;
}

const POWER = 0.8;

function marginText(rule: MetricRule): string {
  const parts: string[] = [];
  if (rule.maxDrop !== undefined) parts.push(`−${+(rule.maxDrop * 100).toFixed(1)}`);
  if (rule.maxRise !== undefined) parts.push(`+${+(rule.maxRise * 100).toFixed(1)}`);
  if (rule.maxChange !== undefined) parts.push(`±${+(rule.maxChange * 100).toFixed(1)}`);
  return parts.length > 0 ? `${parts.join('/')} pts` : 'none';
}

/** The scenarios of the plan a rule measures: its domain, and those in its metric's denominator. */
function inScope(rule: MetricRule, scenarios: readonly ScenarioShape[]): ScenarioShape[] {
  const den = metricDenominator(rule.metric);
  return scenarios.filter(
    (s) =>
      (rule.domain === undefined || s.domain === rule.domain) &&
      (den === 'judged' || (den === 'expect' ? s.expect !== undefined : s.userValues.length > 0)),
  );
}

/** Strata of the rule's interval: one for a domain rule; the domains, small ones merged (cluster-interval.ts), overall. */
function strataOf(rule: MetricRule, scope: readonly ScenarioShape[]): number {
  if (rule.domain !== undefined || scope.length === 0) return 1;
  return domainStrata(scope.map((s) => s.domain)).count;
}

/** One row per metric rule of the gate: scope, MDE, pass probability and what would make it decidable. */
export function powerPlan(
  gate: GateConfig,
  plan: { scenarios: readonly ScenarioShape[]; samples: number },
  varianceOf: (rule: MetricRule) => VarianceChoice = () => DEFAULT_VARIANCE,
): PowerPlanRow[] {
  const rules = gate.rules.filter((r): r is MetricRule => 'metric' in r);
  return rules.map((rule) => {
    const scope = inScope(rule, plan.scenarios);
    const b = marginBand(rule);
    const d: RuleDesign = {
      scenarios: scope.length,
      strata: strataOf(rule, scope),
      samples: plan.samples,
      alpha: gate.alpha,
      rules: rules.length,
      ...b,
    };
    const v = varianceOf(rule);
    const decide = d.scenarios >= 2 && b.lower < b.upper;
    const row: PowerPlanRow = {
      rule: rule.name,
      metric: rule.metric,
      domain: rule.domain ?? null,
      scenarios: d.scenarios,
      samples: d.samples,
      margin: marginText(rule),
      mde: plannedMde(v.variance, d),
      pass: passProbability(v.variance, d),
      samplesNeeded: decide ? samplesNeeded(v.variance, d, POWER) : null,
      scenariosNeeded: decide ? scenariosNeeded(v.variance, d, POWER) : null,
      variance: v.source,
      advice: '',
    };
    row.advice = adviceOf(row, b.lower < b.upper);
    return row;
  });
}

function adviceOf(r: PowerPlanRow, hasMargin: boolean): string {
  if (r.scenarios === 0) return 'no scenario in scope: check the rule’s domain and the --domains/--scenarios filters';
  if (r.scenarios === 1) return 'one scenario: no interval, so the rule can never pass; add scenarios';
  if (!hasMargin) return 'no margin: the rule can fail but never pass; set maxDrop, maxRise or maxChange';
  if (r.samplesNeeded === null)
    return `more samples cannot help: between-scenario variance dominates at ${r.scenarios} scenarios; about ${r.scenariosNeeded} scenarios at ${r.samples} samples would decide it`;
  if (r.samplesNeeded <= r.samples) return `decidable (${r.samplesNeeded} samples per scenario would do)`;
  return `needs ${r.samplesNeeded} samples per scenario (or about ${r.scenariosNeeded} scenarios at ${r.samples})`;
}
