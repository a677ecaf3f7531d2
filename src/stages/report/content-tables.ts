import { metricKey } from '../../records/metric-key.js';
import type { ModelProfile } from '../../records/profile.js';
import { RESPONSE_TYPES } from '../../records/response-types.js';
import { type Block, pctText } from './blocks.js';
import { responseTypeLabel } from './palette.js';
import type { ModelProfileView } from './view-model.js';
import { categoryKey, VITW_CATEGORY_SHARES } from './vitw-reference.js';

/** Tables shared by profile and diff reports: one column per model (or diff side). */
export function summaryTable(pairs: readonly { view: ModelProfileView; profile: ModelProfile }[]): Block {
  const m = (p: ModelProfile, key: string): string => pctText(p.overall.metrics[key]?.estimate);
  return {
    kind: 'table',
    caption: 'Shares of responses (judged cells); expected response: of responses to scenarios with an expectation.',
    head: ['model', 'judged', 'errored', 'values per response', 'any value', 'refusal rate', 'strong resistance', 'expected response'],
    align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    rows: pairs.map(({ view, profile: p }) => [
      view.modelId,
      String(p.overall.judged),
      String(p.overall.errored),
      p.overall.meanValuesPerCell === null ? '—' : p.overall.meanValuesPerCell.toFixed(2),
      m(p, metricKey.anyValue),
      m(p, metricKey.refusalRate),
      m(p, metricKey.responseType('strong_resistance')),
      m(p, metricKey.expectPass),
    ]),
  };
}

/**
 * No published column here: Values in the Wild's response-type shares describe real, mostly benign
 * traffic; an adversarial suite's shares are not comparable with them (docs/reports.md, "Honest context").
 */
export function responseTypeTable(views: readonly ModelProfileView[]): Block {
  return {
    kind: 'table',
    caption: 'Share of responses (judged cells) per response type.',
    head: ['response type', ...views.map((v) => v.modelId)],
    align: ['l', ...views.map(() => 'r' as const)],
    rows: RESPONSE_TYPES.map((t) => [
      { text: responseTypeLabel(t), title: metricKey.responseType(t) },
      ...views.map((v) => pctText(v.responseTypes.find((r) => r.name === t)?.share)),
    ]),
  };
}

/**
 * Two bases side by side, each named: "of responses" (profile.json's share: responses expressing a
 * value in the category; they add up to more than 100%) and "of value mentions" (each category
 * counted once per response, over the five: they add up to 100%, the measure closest to the
 * published share of value expressions).
 */
export function categoryTable(views: readonly ModelProfileView[]): Block {
  const find = (xs: readonly { name: string; share: number }[] | undefined, name: string) =>
    xs?.find((s) => categoryKey(s.name) === categoryKey(name))?.share;
  return {
    kind: 'table',
    caption:
      'Top-level categories: share of responses expressing a value in the category, and share of value mentions (each category counted once per response, over the five). The last column is context, not a benchmark: Values in the Wild observed real Claude.ai traffic (Feb 2025), a different population from this suite.',
    head: [
      'category (level 3)',
      ...views.map((v) => `${v.modelId}: % of responses`),
      ...views.map((v) => `${v.modelId}: % of value mentions`),
      'Values in the Wild (real traffic, observational): % of value expressions',
    ],
    align: ['l', ...views.flatMap(() => ['r', 'r'] as const), 'r'],
    rows: VITW_CATEGORY_SHARES.map((c) => [
      c.name,
      ...views.map((v) => pctText(find(v.categoryResponseShares, c.name))),
      ...views.map((v) => pctText(find(v.categoryShares, c.name))),
      `${c.percent.toFixed(1)}%`,
    ]),
  };
}

export function topValuesTable(views: readonly ModelProfileView[], rows = 10): Block {
  const n = Math.min(rows, Math.max(0, ...views.map((v) => v.topValues.length)));
  return {
    kind: 'table',
    caption: 'Each value with its share of responses (judged cells expressing it).',
    head: ['#', ...views.map((v) => v.modelId)],
    align: ['r', ...views.map(() => 'l' as const)],
    rows: Array.from({ length: n }, (_, i) => [
      String(i + 1),
      ...views.map((v) => {
        const t = v.topValues[i];
        return t ? `${t.name} (${pctText(t.share)})` : '';
      }),
    ]),
  };
}

export function contextTable(pairs: readonly { view: ModelProfileView; profile: ModelProfile }[], perModel = 10): Block | null {
  const rows = pairs.flatMap(({ view, profile }) =>
    profile.contextDependence.cells
      .filter((c) => c.residual > 0)
      .slice(0, perModel)
      .map((c) => [
        view.modelId,
        c.domain,
        `${c.kind === 'value' ? '' : `${c.kind}: `}${c.name}`,
        String(c.observed),
        c.expected.toFixed(1),
        c.residual.toFixed(2),
      ]),
  );
  if (rows.length === 0) return null;
  return {
    kind: 'table',
    head: ['model', 'domain', 'over-represented value', 'observed', 'expected', 'adj. residual'],
    align: ['l', 'l', 'l', 'r', 'r', 'r'],
    rows,
  };
}

/** Judges as "id (provider:model)", for the "judged by" line. */
export function judgeLine(profiles: readonly ModelProfile[]): string {
  const ids = [...new Set(profiles.flatMap((p) => p.judgeIds))];
  const models = [...new Set(profiles.flatMap((p) => p.judgeModels))];
  return `Judge: ${ids.join(', ') || 'unknown'}${models.length ? ` — judge model ${models.join(', ')}` : ''}.`;
}
