import { RESPONSE_TYPES } from '../../../records/response-types.js';
import { RESPONSE_TYPE_COLOURS, responseTypeLabel } from '../palette.js';
import type { ModelProfileView } from '../view-model.js';
import { type ChartSpec, categoryAxis, clip, pct, percentAxis, slug, title } from './common.js';

/** One chart per model: a stacked horizontal bar per domain, response types in a fixed order and colour. */
export function responseTypeCharts(models: readonly ModelProfileView[]): ChartSpec[] {
  return models
    .filter((m) => m.responseTypesByDomain.length > 0)
    .map((m) => {
      const domains = [...m.responseTypesByDomain].sort((a, b) => a.domain.localeCompare(b.domain));
      const datasets = RESPONSE_TYPES.map((t) => ({
        label: responseTypeLabel(t),
        data: domains.map((d) => pct(d.shares[t] ?? 0)),
        backgroundColor: RESPONSE_TYPE_COLOURS[t],
        borderColor: '#FFFFFF',
        borderWidth: 1,
      }));
      const height = Math.max(600, 160 + domains.length * 34);
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
        width: 1000,
        height,
        config: {
          type: 'bar',
          data: { labels: domains.map((d) => `${clip(d.domain, 30)} (n=${d.n})`), datasets },
          options: {
            indexAxis: 'y',
            responsive: false,
            animation: false,
            plugins: {
              ...title(
                `Response types by domain — ${m.modelId}`,
                "How the response treats the user's own values (share of judged responses)",
              ),
              legend: { position: 'bottom', labels: { font: { size: 14 } } },
            },
            scales: {
              x: { ...percentAxis('Share of judged responses', 100), stacked: true },
              y: { ...categoryAxis('Domain'), stacked: true },
            },
          },
        },
      };
    });
}
