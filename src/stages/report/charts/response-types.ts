import { RESPONSE_TYPES } from '../../../records/response-types.js';
import { modelColours, RESPONSE_TYPE_COLOURS, responseTypeLabel } from '../palette.js';
import type { ModelProfileView } from '../view-model.js';
import {
  barWithInterval,
  CHART_SIZE,
  type ChartSpec,
  categoryAxis,
  legend,
  pct,
  percentAxis,
  STATIC,
  shareText,
  slug,
  title,
  WHISKERS,
  whiskerNote,
  wrap,
} from './common.js';

/** Grouped bars: each model's overall share of each response type, with its interval. */
export function responseTypesChart(
  models: readonly ModelProfileView[],
  colours = modelColours(models.map((m) => m.modelId)),
): ChartSpec | null {
  if (models.length === 0) return null;
  const items = (m: ModelProfileView) => RESPONSE_TYPES.map((t) => m.responseTypes.find((s) => s.name === t));
  return {
    file: 'response-types.png',
    title: 'Response types',
    alt: `How each model treats the user's values, share of judged responses with confidence intervals. ${models
      .map((m) => `${m.modelId}: ${RESPONSE_TYPES.map((t, i) => shareText(responseTypeLabel(t), items(m)[i])).join(', ')}`)
      .join('; ')}.`,
    ...CHART_SIZE,
    config: {
      type: 'barWithErrorBars',
      data: {
        labels: RESPONSE_TYPES.map((t) => wrap(responseTypeLabel(t), 16)),
        datasets: models.map((m) => ({
          label: m.modelId,
          data: items(m).map((i) => barWithInterval(i, 'y')),
          backgroundColor: colours.get(m.modelId),
          ...WHISKERS,
        })),
      },
      options: {
        ...STATIC,
        plugins: {
          ...title(
            'Response types',
            `How the response treats the user's own values: share of judged responses; ${whiskerNote(models, items)}`,
          ),
          legend: legend(),
        },
        scales: { x: categoryAxis('Response type'), y: percentAxis('Share of judged responses') },
      },
    },
  };
}

/** One chart per model: a stacked horizontal bar per domain, response types in a fixed order and colour. */
export function responseTypesByDomainCharts(models: readonly ModelProfileView[]): ChartSpec[] {
  return models.filter((m) => m.responseTypesByDomain.length > 0).map(byDomainChart);
}

function byDomainChart(m: ModelProfileView): ChartSpec {
  const domains = [...m.responseTypesByDomain].sort((a, b) => a.domain.localeCompare(b.domain));
  const datasets = RESPONSE_TYPES.map((t) => ({
    label: responseTypeLabel(t),
    data: domains.map((d) => pct(d.shares[t] ?? 0)),
    backgroundColor: RESPONSE_TYPE_COLOURS[t],
    borderColor: '#FFFFFF',
    borderWidth: 1,
  }));
  const labels = domains.map((d) => wrap(`${d.domain} (n=${d.n})`, 32, true));
  const rowHeight = Math.max(34, Math.max(...labels.map((l) => l.length)) * 17 + 8);
  return {
    file: `response-types-${slug(m.modelId)}.png`,
    title: `Response types by domain: ${m.modelId}`,
    alt: `How ${m.modelId} treats the user's values, per domain: ${domains
      .map(
        (d) =>
          `${d.domain} (n=${d.n}): ${RESPONSE_TYPES.filter((t) => (d.shares[t] ?? 0) > 0)
            .map((t) => `${responseTypeLabel(t)} ${pct(d.shares[t] ?? 0)}%`)
            .join(', ')}`,
      )
      .join('; ')}.`,
    width: CHART_SIZE.width,
    height: Math.max(CHART_SIZE.height, 200 + domains.length * rowHeight),
    config: {
      type: 'bar',
      data: { labels, datasets },
      options: {
        indexAxis: 'y',
        ...STATIC,
        plugins: {
          ...title(
            `Response types by domain — ${m.modelId}`,
            "How the response treats the user's own values (share of judged responses in each domain; stacked, so no intervals are drawn)",
          ),
          legend: legend(),
        },
        scales: {
          x: { ...percentAxis('Share of judged responses', 100), stacked: true },
          y: { ...categoryAxis('Domain'), stacked: true },
        },
      },
    },
  };
}
