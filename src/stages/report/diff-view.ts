import type { DiffFile, DiffSide, GateResult, GateRuleResult, MetricDiff } from '../../records/diff.js';
import { parseMetricKey, shareBaseText } from '../../records/metric-key.js';
import { concernOf, marginConcern } from './concern.js';
import { cachedAnswersText } from './profile-view.js';
import type { ChangeView, DiffView, GateView } from './view-model.js';

/** "strong resistance", "refusal rate (partial or full)", "Protective values": a metric in words, without domain. */
export function metricName(metric: string): string {
  const m = parseMetricKey(metric);
  const words = (t: string) => t.replace(/_/g, ' ');
  switch (m.family) {
    case 'response_type':
      return words(m.name);
    case 'refusal':
      return `refusal: ${words(m.name)}`;
    case 'refusal_rate':
      return 'refusal rate (partial or full)';
    case 'expect_pass':
      return 'expected response given';
    case 'any_value':
      return 'expresses any value';
    case 'mirroring':
      return "mirrors the user's own values";
    case 'user_values_response_type':
      return `${words(m.name)} (when the user states values)`;
    case 'category':
    case 'value':
      return m.name;
    default:
      return words(metric);
  }
}

/** "response type: strong resistance (domain)": the metric with its family, for lists and the forest plot. */
function metricLabel(metric: string, domain: string | null): string {
  const m = parseMetricKey(metric);
  const family =
    m.family === 'response_type'
      ? 'response type: '
      : m.family === 'category'
        ? `category ${m.level}: `
        : m.family === 'value'
          ? 'value: '
          : '';
  const label = family + metricName(metric);
  return domain ? `${label} (${domain})` : label;
}

function aliasTexts(m: MetricDiff): string[] {
  return (m.aliases ?? []).map((a) => `${a.relation === 'same' ? '= ' : '= 1 − '}${metricLabel(a.metric, null)}`);
}

/** "refusal rate (= 1 − refusal: none)": a diff row with the duplicates and complements it stands for. */
function rowLabel(m: MetricDiff): string {
  const aliases = aliasTexts(m);
  const label = metricLabel(m.metric, null);
  const named = aliases.length > 0 ? `${label} (${aliases.join('; ')})` : label;
  return m.domain ? `${named} (${m.domain})` : named;
}

function shareOf(metric: string): Pick<ChangeView, 'shareOf'> {
  return { shareOf: shareBaseText(metric) };
}

function change(m: MetricDiff, watchlist: ReadonlySet<string>): ChangeView {
  return {
    label: rowLabel(m),
    metric: m.metric,
    name: metricName(m.metric),
    aliases: aliasTexts(m),
    concern: concernOf(m.metric, watchlist),
    ...shareOf(m.metric),
    domain: m.domain,
    base: m.base.estimate ?? 0,
    candidate: m.cand.estimate ?? 0,
    delta: m.delta ?? 0,
    lo: m.lo ?? m.delta ?? 0,
    hi: m.hi ?? m.delta ?? 0,
    ...(m.p !== null ? { p: m.p } : {}),
    ...(m.q !== null ? { q: m.q } : {}),
    significant: m.significant,
  };
}

/**
 * Significant changes first, then tested overall metrics, then tested per-domain ones (small n, wide
 * intervals), each by |delta|; untested (too rare) metrics last.
 */
function ordered(metrics: readonly MetricDiff[]): MetricDiff[] {
  const rank = (m: MetricDiff): number => (m.significant ? 0 : m.p === null ? 3 : m.domain === null ? 1 : 2);
  return metrics
    .filter((m) => m.delta !== null)
    .sort((a, b) => rank(a) - rank(b) || Math.abs(b.delta ?? 0) - Math.abs(a.delta ?? 0) || a.metric.localeCompare(b.metric));
}

function gateView(g: GateResult): GateView {
  return {
    verdict: g.verdict,
    rules: g.rules.map((r) => ({ name: r.name, status: r.status, detail: r.message })),
    warnings: g.warnings,
  };
}

/** A metric rule's numbers as gate.json holds them: the one change, interval and q the report shows for its metric. */
function gateChange(r: GateRuleResult, alpha: number, watchlist: ReadonlySet<string>): ChangeView {
  const declared = r.metric ? concernOf(r.metric, watchlist) : null;
  return {
    label: r.metric ? `${r.name}: ${metricLabel(r.metric, r.domain)}` : r.name,
    metric: r.metric ?? '',
    name: r.metric ? metricName(r.metric) : r.name,
    aliases: [],
    concern: marginConcern(r.margin, declared, `moves ${r.name} past its margin`) ?? declared,
    ...(r.metric ? shareOf(r.metric) : {}),
    gateRule: r.name,
    domain: r.domain,
    base: r.base ?? 0,
    candidate: r.cand ?? 0,
    delta: r.delta ?? 0,
    lo: r.lo ?? r.delta ?? 0,
    hi: r.hi ?? r.delta ?? 0,
    ...(r.p !== null ? { p: r.p } : {}),
    ...(r.q !== null ? { q: r.q } : {}),
    significant: r.q !== null && r.q < alpha,
  };
}

/**
 * The diff's changes, with every metric a gate rule guards (the rule's metric, or a duplicate or
 * complement of it) replaced by the gate's numbers: one change, interval and q per metric in the
 * whole report. They differ from the diff's only in q (a different family) and, when the diff and
 * the gate ran with different alpha, in the interval's level.
 */
function changesWithGate(d: DiffFile, gate: GateResult | null, watchlist: ReadonlySet<string>): ChangeView[] {
  const rules = new Map<string, GateRuleResult>();
  for (const r of gate?.rules ?? [])
    if (r.kind === 'metric' && r.metric && r.delta !== null) rules.set(`${r.metric}\u0000${r.domain ?? ''}`, r);
  const replaced = new Set<GateRuleResult>();
  const out: ChangeView[] = [];
  for (const m of ordered(d.metrics)) {
    const keys = [m.metric, ...(m.aliases ?? []).map((a) => a.metric)];
    const guarding = keys.map((k) => rules.get(`${k}\u0000${m.domain ?? ''}`)).filter((r) => r !== undefined);
    if (guarding.length === 0) out.push(change(m, watchlist));
    for (const r of guarding) {
      if (replaced.has(r)) continue;
      replaced.add(r);
      out.push(gateChange(r, gate!.alpha, watchlist));
    }
  }
  // Same order as `ordered`, now that some rows carry the gate's significance.
  const rank = (c: ChangeView): number => (c.significant ? 0 : c.p === undefined ? 3 : c.domain === null ? 1 : 2);
  return out.sort((a, b) => rank(a) - rank(b) || Math.abs(b.delta) - Math.abs(a.delta));
}

/** Model ids label the sides; when both sides are the same model id, "(base)"/"(candidate)" tell them apart. */
export function sideLabelsOf(base: DiffSide, cand: DiffSide): { base: string; cand: string } {
  if (base.modelId !== cand.modelId) return { base: base.modelId, cand: cand.modelId };
  return { base: `${base.modelId} (base)`, cand: `${cand.modelId} (candidate)` };
}

/** A gate run without diff.json: its metric rules are the changes, its forbid hits the watch-list hits. */
export function gateOnlyView(g: GateResult, watchlist: ReadonlySet<string>): DiffView {
  const labels = sideLabelsOf(g.base, g.cand);
  const changes: ChangeView[] = g.rules
    .filter((r) => r.delta !== null)
    .map((r) => gateChange(r, g.alpha, watchlist))
    .sort((a, b) => Number(b.significant) - Number(a.significant) || Math.abs(b.delta) - Math.abs(a.delta));
  return {
    baseLabel: labels.base,
    candidateLabel: labels.cand,
    pairedScenarios: g.sharedScenarios,
    changes,
    appeared: [],
    vanished: [],
    watchlistHits: g.rules.flatMap((r) => r.hits.map((h) => ({ value: h.value, count: h.cells, cells: h.cellIds }))),
    gate: gateView(g),
    notes: [...g.warnings],
    ...answersOf(labels, g.base, g.cand),
  };
}

export function diffView(d: DiffFile, gate: GateResult | null, watchlist: ReadonlySet<string>): DiffView {
  const labels = sideLabelsOf(d.base, d.cand);
  const hits = new Map<string, { value: string; count: number; cells: string[] }>();
  for (const r of gate?.rules ?? []) for (const h of r.hits) hits.set(h.value, { value: h.value, count: h.cells, cells: h.cellIds });
  const answers = answersOf(labels, d.base, d.cand);
  const notes = [...(answers.answers ? [answers.answers] : []), ...d.comparability.warnings];
  if (d.scenarios.baseOnly.length > 0) notes.push(`${d.scenarios.baseOnly.length} scenarios only in the base run were left out`);
  if (d.scenarios.candOnly.length > 0) notes.push(`${d.scenarios.candOnly.length} scenarios only in the candidate run were left out`);
  if (d.scenarios.changed.length > 0)
    notes.push(`${d.scenarios.changed.length} shared scenarios changed between the runs: ${d.scenarios.changed.slice(0, 10).join(', ')}`);
  return {
    baseLabel: labels.base,
    candidateLabel: labels.cand,
    pairedScenarios: d.scenarios.shared,
    changes: changesWithGate(d, gate, watchlist),
    appeared: d.appeared.map((v) => ({ name: v.value, share: v.share, count: v.cells })),
    vanished: d.vanished.map((v) => ({ name: v.value, share: v.share, count: v.cells })),
    watchlistHits: [...hits.values()],
    gate: gate ? gateView(gate) : null,
    notes,
    ...answers,
  };
}

/** Each side's share of reused answers (response cache or run --reuse-from), when the file records it. */
function answersOf(labels: { base: string; cand: string }, base: DiffSide, cand: DiffSide): Pick<DiffView, 'answers'> {
  // None reused on either side: provenance says so; a comparability note would only be noise.
  if ((base.answers?.cached ?? 0) === 0 && (cand.answers?.cached ?? 0) === 0) return {};
  const side = (label: string, s: DiffSide) => `${label} ${s.answers ? cachedAnswersText(s.answers) : 'unknown'}`;
  return {
    answers: `Answers reused from the response cache or an earlier run (not requested for the run): ${side(labels.base, base)}; ${side(labels.cand, cand)}.`,
  };
}
