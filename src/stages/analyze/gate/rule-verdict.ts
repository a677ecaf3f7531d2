import { marginBand } from '../../../config/gate-margins.js';
import type { GateRule } from '../../../config/gate-schema.js';
import { pValueText, qFamilyText } from '../../../records/diff.js';
import type { DecideFigures } from './decide-figures.js';

type MetricRule = Extract<GateRule, { metric: string }>;

type RuleStatus = 'pass' | 'fail' | 'inconclusive' | 'error';

export interface VerdictInput {
  delta: number | null;
  /** BH-adjusted across the gate's metric rules. */
  q: number;
  /** How many metric rules that BH family has (named in the message); unnamed when absent. */
  rules?: number;
  alpha: number;
  scenarios: number;
  /** The (1 - alpha) interval of delta; without one the rule cannot pass. */
  lo?: number | null;
  hi?: number | null;
  /** The rule's minimum detectable effect (80% power), for the inconclusive reason. */
  mde?: number | null;
  /** What would make the rule decidable (decide-figures.ts); without it the reason does not say. */
  decide?: DecideFigures | null;
}

export interface RuleVerdict {
  status: RuleStatus;
  /** One line for the CI log. */
  message: string;
  /** Why the rule has this verdict (for inconclusive: the interval, the margin, the MDE, what would decide it). */
  reason: string;
  /** Samples per scenario (per side) that would make the rule decidable; null when more samples cannot help. */
  samplesNeeded: number | null;
  /** Scenarios (at the current samples per scenario) that would make the rule decidable. */
  scenariosNeeded: number | null;
}

const pts = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`;
const num = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`;
/** "95%" for alpha 0.05. */
const levelText = (alpha: number) => `${Math.round((1 - alpha) * 1000) / 10}%`;

function marginText(rule: MetricRule): string {
  const parts: string[] = [];
  if (rule.maxDrop !== undefined) parts.push(`−${(rule.maxDrop * 100).toFixed(1)} pt`);
  if (rule.maxRise !== undefined) parts.push(`+${(rule.maxRise * 100).toFixed(1)} pt`);
  if (rule.maxChange !== undefined) parts.push(`±${(rule.maxChange * 100).toFixed(1)} pt`);
  return parts.length > 0 ? `${parts.join(' / ')} margin` : 'zero margin (none set)';
}

function directionWord(rule: MetricRule): string {
  if (rule.maxChange === undefined && rule.maxRise === undefined && rule.maxDrop !== undefined) return 'drops';
  if (rule.maxChange === undefined && rule.maxDrop === undefined && rule.maxRise !== undefined) return 'rises';
  return 'changes';
}

/**
 * Three verdicts for a metric rule (docs/statistics.md, "Three verdicts"):
 *   fail          the change is beyond the margin AND significant (q < alpha, BH over the gate's metric rules);
 *   pass          the (1 - alpha) interval of the change lies strictly inside the margin;
 *   inconclusive  otherwise: the data cannot tell; the reason names the interval, the margin, the MDE
 *                 and the samples per scenario (or scenarios) that would decide it.
 */
export function evaluateMetricRule(rule: MetricRule, r: VerdictInput): RuleVerdict {
  const where = rule.domain ? ` in ${rule.domain}` : '';
  const none = { samplesNeeded: null, scenariosNeeded: null };
  if (r.scenarios === 0) {
    const m = `no shared scenarios${where}: check the rule's domain name`;
    return { status: 'error', message: m, reason: m, ...none };
  }
  if (r.delta === null) {
    const m = `${rule.metric} has no cells to measure${where} on one side`;
    return { status: 'error', message: m, reason: m, ...none };
  }
  const band = marginBand(rule);
  const head = `${rule.metric}${where} changed ${pts(r.delta)}`;
  const hasInterval = r.lo !== undefined && r.lo !== null && r.hi !== undefined && r.hi !== null;
  const iv = hasInterval ? `${levelText(r.alpha)} interval [${num(r.lo as number)}, ${num(r.hi as number)}]` : '';
  if ((r.delta < band.lower || r.delta > band.upper) && r.q < r.alpha) {
    const reason = `beyond the ${marginText(rule)}, ${qText(r)} < ${r.alpha}`;
    return { status: 'fail', message: `${head}${iv ? `, ${iv}` : ''}, ${reason}`, reason, ...none };
  }
  if (hasInterval && (r.lo as number) > band.lower && (r.hi as number) < band.upper) {
    const reason = `the ${iv} lies inside the ${marginText(rule)}`;
    return { status: 'pass', message: `${head}: ${reason}`, reason, ...none };
  }
  return inconclusive(rule, { ...r, delta: r.delta }, { head, iv, band });
}

function inconclusive(
  rule: MetricRule,
  r: VerdictInput & { delta: number },
  t: { head: string; iv: string; band: { lower: number; upper: number } },
): RuleVerdict {
  const { lower, upper } = t.band;
  const noMargin = rule.maxDrop === undefined && rule.maxRise === undefined && rule.maxChange === undefined;
  const parts: string[] = [];
  if (noMargin) {
    parts.push(
      `the rule has no margin, so it fails on a significant change (${qText(r)}, not < ${r.alpha}) but can never pass: set maxDrop, maxRise or maxChange`,
    );
  } else if (!t.iv) {
    parts.push(`no interval could be computed for the change, so it cannot be shown to lie inside the ${marginText(rule)}`);
  } else {
    const past = [(r.lo as number) <= lower ? 'below' : '', (r.hi as number) >= upper ? 'above' : ''].filter(Boolean);
    parts.push(`the ${t.iv} reaches ${past.join(' and ')} the ${marginText(rule)}`);
    if (r.delta < lower || r.delta > upper) parts.push(`the change is beyond it but not significant (${qText(r)})`);
  }
  if (r.mde !== undefined && r.mde !== null)
    parts.push(`at this suite size the gate can only see ${directionWord(rule)} of ${(r.mde * 100).toFixed(1)} pts or more`);
  const need = noMargin ? null : whatWouldDecide(r, t.band);
  if (need) parts.push(need.text);
  const reason = parts.join('; ');
  return {
    status: 'inconclusive',
    message: `${t.head}: inconclusive: ${reason}`,
    reason,
    samplesNeeded: need?.samples ?? null,
    scenariosNeeded: need?.scenarios ?? null,
  };
}

/**
 * What would make the rule decidable: the samples per scenario (or scenarios) at which identical
 * models PASS with 80% probability, by the power plan's model (decide-figures.ts). A change observed
 * close to the margin would need far more; the text says so rather than print that figure.
 */
function whatWouldDecide(
  r: VerdictInput & { delta: number },
  band: { lower: number; upper: number },
): { text: string; samples: number | null; scenarios: number | null } | null {
  const need = r.decide;
  if (!need) return null;
  const gap = Math.min(-band.lower, band.upper);
  const near = Math.min(Math.abs(r.delta - band.lower), Math.abs(band.upper - r.delta));
  const close =
    near < gap / 2
      ? `; the observed change is ${(near * 100).toFixed(1)} pts from the margin, so if it is real only a far larger suite would tell it apart from the margin`
      : '';
  const assumed = need.assumed
    ? "; the base never or always showed this metric, so the plan's default variance (p 0.5, ρ 0.3) was assumed"
    : '';
  const now = `now ${need.now.scenarios} scenarios × ${need.now.samples} samples${assumed}${close}`;
  if (need.samples !== null && need.samples <= need.now.samples) {
    // The design is already large enough on average: this run's interval was wide by chance.
    return {
      text: `the design should usually decide this rule; this run's interval was wider than typical (${now})`,
      samples: null,
      scenarios: null,
    };
  }
  if (need.samples !== null)
    return {
      text: `for a true change of 0, about ${need.samples} samples per scenario${need.scenarios !== null ? `, or ${need.scenarios} scenarios,` : ''} would make this rule decidable (${now})`,
      samples: need.samples,
      scenarios: need.scenarios,
    };
  if (need.scenarios !== null)
    return {
      text: `more samples per scenario cannot help: the scenarios disagree (between-scenario variance dominates); about ${need.scenarios} scenarios would make this rule decidable (${now})`,
      samples: null,
      scenarios: need.scenarios,
    };
  return { text: `no suite size within reach would decide this rule at its margin (${now})`, samples: null, scenarios: null };
}

/** q as every output writes it (records/diff.ts), with its BH family when known: "q = 0.012 (BH over the gate's 5 metric rules)". */
function qText(r: Pick<VerdictInput, 'q' | 'rules'>): string {
  const v = pValueText(r.q);
  const family = r.rules !== undefined ? ` (${qFamilyText({ correction: 'BH', size: r.rules, over: 'gate rules' })})` : '';
  return `q ${v.startsWith('<') ? `< ${v.slice(1)}` : `= ${v}`}${family}`;
}
