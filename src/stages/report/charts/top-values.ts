import { modelColours } from '../palette.js';
import type { ModelProfileView } from '../view-model.js';
import { type ChartSpec, categoryAxis, clip, pct, percentAxis, title } from './common.js';

const MAX_ROWS = 18;

/** Horizontal grouped bars over the union of each model's most frequent values. */
export function topValuesChart(
  models: readonly ModelProfileView[],
  colours = modelColours(models.map((m) => m.modelId)),
): ChartSpec | null {
  const names: string[] = [];
  for (let k = 0; names.length < MAX_ROWS; k++) {
    let added = false;
    for (const m of models) {
      const v = m.topValues[k];
      if (!v) continue;
      added = true;
      if (!names.includes(v.name) && names.length < MAX_ROWS) names.push(v.name);
    }
    if (!added) break;
  }
  if (names.length === 0) return null;
  const datasets = models.map((m) => {
    const by = new Map(m.topValues.map((v) => [v.name, v.share]));
    return { label: m.modelId, data: names.map((n) => pct(by.get(n) ?? m.valueShares[n] ?? 0)), backgroundColor: colours.get(m.modelId) };
  });
  const height = Math.max(600, 170 + names.length * Math.max(1, models.length) * 14);
  return {
    file: 'top-values.png',
    title: 'Most frequent values',
    alt: `Share of judged responses expressing each value. ${models
      .map(
        (m) =>
          `${m.modelId}: ${m.topValues
            .slice(0, 10)
            .map((v) => `${v.name} ${pct(v.share)}%`)
            .join(', ')}`,
      )
      .join('; ')}.`,
    width: 1000,
    height,
    config: {
      type: 'bar',
      data: { labels: names.map((n) => clip(n)), datasets },
      options: {
        indexAxis: 'y',
        responsive: false,
        animation: false,
        plugins: {
          ...title('Most frequent values', 'Share of judged responses that express the value'),
          legend: { position: 'bottom', labels: { font: { size: 14 } } },
        },
        scales: { x: percentAxis('Share of judged responses'), y: categoryAxis('Value') },
      },
    },
  };
}
