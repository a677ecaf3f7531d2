import { metricDenominator } from '../../../records/metric-key.js';
import type { ScenarioStats } from '../load/scenario-table.js';
import { DEFAULT_RHO, type RateVariance, rateVariance } from './power-math.js';

/** Cells k of n counting in a metric, in one scenario of one model. */
interface Counts {
  k: number;
  n: number;
}

/** Per-scenario counts of `metric` in one model's scenarios, restricted to `domain` when given. */
function ruleCounts(scenarios: Iterable<ScenarioStats>, metric: string, domain: string | undefined): Counts[] {
  const d = metricDenominator(metric);
  const out: Counts[] = [];
  for (const s of scenarios) {
    if (domain !== undefined && s.domain !== domain) continue;
    if (s.den[d] > 0) out.push({ k: s.counts.get(metric) ?? 0, n: s.den[d] });
  }
  return out;
}

export interface EstimatedVariance {
  variance: RateVariance;
  scenarios: number;
  /** False when every scenario has one cell: within and between cannot be told apart, rho is the default. */
  split: boolean;
}

/**
 * Method of moments on one run's per-scenario rates r_s = k_s / n_s:
 *   within  = mean over scenarios of k_s (n_s - k_s) / (n_s (n_s - 1))   (unbiased p_s (1 - p_s), n_s >= 2)
 *   between = max(0, sample variance of r_s - mean of within_s / n_s)
 * Null with fewer than two scenarios, or when the metric is never (or always) seen: its spread is unknown.
 */
export function varianceFromCounts(counts: readonly Counts[]): EstimatedVariance | null {
  const used = counts.filter((c) => c.n > 0);
  const S = used.length;
  if (S < 2) return null;
  let K = 0;
  let N = 0;
  for (const c of used) {
    K += c.k;
    N += c.n;
  }
  const mean = K / N;
  if (mean <= 0 || mean >= 1) return null;
  const multi = used.filter((c) => c.n >= 2);
  if (multi.length === 0) return { variance: rateVariance(mean, DEFAULT_RHO), scenarios: S, split: false };
  const withinOf = (c: Counts) => (c.k * (c.n - c.k)) / (c.n * (c.n - 1));
  const within = multi.reduce((a, c) => a + withinOf(c), 0) / multi.length;
  const rates = used.map((c) => c.k / c.n);
  const rbar = rates.reduce((a, r) => a + r, 0) / S;
  const spread = rates.reduce((a, r) => a + (r - rbar) ** 2, 0) / (S - 1);
  const noise = used.reduce((a, c) => a + (c.n >= 2 ? withinOf(c) : within) / c.n, 0) / S;
  return { variance: { mean, within, between: Math.max(0, spread - noise) }, scenarios: S, split: true };
}

/** One model of an earlier run, as the analyze loader holds it. */
interface ModelScenarios {
  modelId: string;
  scenarios: ReadonlyMap<string, ScenarioStats>;
}

/**
 * The variance of a rule's metric from an earlier run: estimated per model, and the model with the
 * largest within-scenario variance (the one that needs the most samples) is used. Falls back to
 * `fallback` (with a note in the source) when no model of the run shows the metric in the rule's scope.
 */
export function runVariance(
  models: readonly ModelScenarios[],
  rule: { metric: string; domain?: string | undefined },
  fallback: { variance: RateVariance; source: string },
): { variance: RateVariance; source: string } {
  let best: { est: EstimatedVariance; modelId: string } | null = null;
  for (const m of models) {
    const est = varianceFromCounts(ruleCounts(m.scenarios.values(), rule.metric, rule.domain));
    if (est && (!best || est.variance.within > best.est.variance.within)) best = { est, modelId: m.modelId };
  }
  if (!best) return { variance: fallback.variance, source: `${fallback.source} (not in RUN)` };
  const v = best.est.variance;
  const rho = v.within + v.between > 0 ? v.between / (v.within + v.between) : 0;
  const rhoText = best.est.split ? `ρ ${rho.toFixed(2)}` : `ρ ${DEFAULT_RHO} assumed (1 sample)`;
  return { variance: v, source: `run: p ${v.mean.toFixed(2)}, ${rhoText} (${best.modelId}, ${best.est.scenarios} scen.)` };
}
