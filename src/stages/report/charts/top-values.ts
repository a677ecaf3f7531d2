import { modelColours } from '../palette.js';
import type { ModelProfileView, ShareItem } from '../view-model.js';
import {
  barWithInterval,
  CHART_WIDTH,
  type ChartSpec,
  categoryAxis,
  legend,
  percentAxis,
  STATIC,
  shareText,
  title,
  WHISKERS,
  wrap,
} from './common.js';

const MAX_ROWS = 18;
const LABEL_WRAP = 30;

/** The union of each model's most frequent values, taken round-robin so every model contributes. */
function valueNames(models: readonly ModelProfileView[]): string[] {
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
  return names;
}

/**
 * A model's share of a value: from its top values (with the interval), else from all its value
 * shares (no interval there, so no whisker).
 */
function shareOf(m: ModelProfileView, name: string): ShareItem {
  return m.topValues.find((v) => v.name === name) ?? { name, share: m.valueShares[name] ?? 0 };
}

/** Horizontal grouped bars over the most frequent values, with intervals where the profile has them. */
export function topValuesChart(
  models: readonly ModelProfileView[],
  colours = modelColours(models.map((m) => m.modelId)),
): ChartSpec | null {
  const names = valueNames(models);
  if (names.length === 0) return null;
  const labels = names.map((n) => wrap(n, LABEL_WRAP));
  const lines = Math.max(...labels.map((l) => l.length));
  const rowHeight = Math.max(Math.max(1, models.length) * 14 + 10, lines * 17 + 8);
  const anyInterval = models.some((m) => m.topValues.some((v) => v.lo !== undefined));
  return {
    file: 'top-values.png',
    title: 'Most frequent values',
    alt: `Share of judged responses expressing each value. ${models
      .map(
        (m) =>
          `${m.modelId}: ${m.topValues
            .slice(0, 10)
            .map((v) => shareText(v.name, v))
            .join(', ')}`,
      )
      .join('; ')}.`,
    width: CHART_WIDTH,
    height: Math.max(600, 200 + names.length * rowHeight),
    config: {
      type: 'barWithErrorBars',
      data: {
        labels,
        datasets: models.map((m) => ({
          label: m.modelId,
          data: names.map((n) => barWithInterval(shareOf(m, n), 'x')),
          backgroundColor: colours.get(m.modelId),
          ...WHISKERS,
        })),
      },
      options: {
        indexAxis: 'y',
        ...STATIC,
        plugins: {
          ...title(
            'Most frequent values',
            anyInterval
              ? "Share of judged responses that express the value; whiskers: the share's confidence interval (drawn for each model's own top values only)"
              : 'Share of judged responses that express the value; no intervals drawn (the profile has none)',
          ),
          legend: legend(),
        },
        scales: { x: percentAxis('Share of judged responses'), y: categoryAxis('Value') },
      },
    },
  };
}
