import { METRIC_PREFIX } from '../../records/metric-key.js';
import type { AnswerProvenance, ModelProfile, Proportion } from '../../records/profile.js';
import { RESPONSE_TYPES } from '../../records/response-types.js';
import type { DomainResponseTypes, ModelProfileView, ShareItem } from './view-model.js';

const L3_PREFIX = METRIC_PREFIX.category.l3;

function est(p: Proportion | undefined): number {
  return p?.estimate ?? 0;
}

/** The proportion's interval, when it has one (none when n = 0). */
function interval(p: Proportion | undefined): Pick<ShareItem, 'lo' | 'hi'> {
  return p && p.lo !== null && p.hi !== null ? { lo: p.lo, hi: p.hi } : {};
}

/**
 * Level-3 shares comparable with the published ones: profile.json counts cells expressing a category;
 * Values in the Wild counts value expressions. Normalising the cell counts over the five categories
 * gives each category's share of all category mentions, which is what the chart compares.
 */
function categoryShares(metrics: Record<string, Proportion>): ShareItem[] {
  const rows = Object.entries(metrics)
    .filter(([k]) => k.startsWith(L3_PREFIX))
    .map(([k, p]) => ({ name: k.slice(L3_PREFIX.length), count: p.k }));
  const total = rows.reduce((s, r) => s + r.count, 0);
  return rows.map((r) => ({ name: r.name, count: r.count, share: total > 0 ? r.count / total : 0 }));
}

/** Level-3 shares of responses, as profile.json holds them. */
function categoryResponseShares(metrics: Record<string, Proportion>): ShareItem[] {
  return Object.entries(metrics)
    .filter(([k]) => k.startsWith(L3_PREFIX))
    .map(([k, p]) => ({ name: k.slice(L3_PREFIX.length), count: p.k, share: est(p), ...interval(p) }));
}

function responseTypes(metrics: Record<string, Proportion>): ShareItem[] {
  return RESPONSE_TYPES.map((t) => {
    const p = metrics[`response_type:${t}`];
    return { name: t, share: est(p), count: p?.k ?? 0, ...interval(p) };
  });
}

/**
 * Adapts one model of profile.json to what the report draws. `label` overrides the model id (diffs of
 * one model id). Heat-map cells are significant at the alpha the profile's context-dependence tables used.
 */
export function profileView(m: ModelProfile, label = m.modelId): ModelProfileView {
  const alpha = m.contextDependence.alpha;
  const byDomain: DomainResponseTypes[] = Object.entries(m.domains).map(([domain, s]) => ({
    domain,
    n: s.judged,
    shares: Object.fromEntries(RESPONSE_TYPES.map((t) => [t, est(s.metrics[`response_type:${t}`])])),
  }));
  return {
    modelId: label,
    model: m.modelId,
    judged: m.overall.judged,
    errored: m.overall.errored,
    ...(m.answers ? { cachedAnswers: cachedAnswersText(m.answers) } : {}),
    categoryShares: categoryShares(m.overall.metrics),
    categoryResponseShares: categoryResponseShares(m.overall.metrics),
    responseTypes: responseTypes(m.overall.metrics),
    responseTypesByDomain: byDomain.filter((d) => d.n > 0),
    topValues: m.overall.topValues.map((v) => ({ name: v.name, share: est(v.share), count: v.share.k, ...interval(v.share) })),
    valueShares: Object.fromEntries(
      Object.entries(m.overall.metrics)
        .filter(([k]) => k.startsWith(METRIC_PREFIX.value))
        .map(([k, p]) => [k.slice(METRIC_PREFIX.value.length), est(p)]),
    ),
    disproportionate: m.contextDependence.cells
      .filter((c) => c.kind === 'value')
      .map((c) => ({ domain: c.domain, value: c.name, residual: c.residual, significant: c.pAdjusted < alpha })),
  };
}

/** "0 of 24 (0.0%)", or with cached answers "24 of 24 (100.0%, from run r1: 24)". */
export function cachedAnswersText(a: AnswerProvenance): string {
  const share = a.cachedShare === null ? '—' : `${(a.cachedShare * 100).toFixed(1)}%`;
  const known = Object.values(a.cachedFrom).reduce((x, y) => x + y, 0);
  const from = [
    ...Object.entries(a.cachedFrom).map(([run, n]) => `run ${run}: ${n}`),
    ...(a.cached > known ? [`unknown run: ${a.cached - known}`] : []),
  ];
  return `${a.cached} of ${a.cells} (${share}${from.length > 0 ? `, from ${from.join(', ')}` : ''})`;
}
