import { modelColours, REFERENCE_COLOUR } from '../palette.js';
import type { ModelProfileView } from '../view-model.js';
import { categoryKey, VITW_CATEGORY_SHARES, VITW_LABEL } from '../vitw-reference.js';
import { CHART_SIZE, type ChartSpec, categoryAxis, pct, percentAxis, title } from './common.js';

/** Grouped bars: each model's level-3 category shares beside the published Values in the Wild shares. */
export function categorySharesChart(models: readonly ModelProfileView[], colours = modelColours(models.map((m) => m.modelId))): ChartSpec {
  const labels = VITW_CATEGORY_SHARES.map((c) => c.name);
  const datasets = models.map((m) => {
    const byKey = new Map(m.categoryShares.map((c) => [categoryKey(c.name), c.share]));
    return {
      label: m.modelId,
      data: VITW_CATEGORY_SHARES.map((c) => pct(byKey.get(categoryKey(c.name)) ?? 0)),
      backgroundColor: colours.get(m.modelId),
    };
  });
  datasets.push({ label: VITW_LABEL, data: VITW_CATEGORY_SHARES.map((c) => c.percent), backgroundColor: REFERENCE_COLOUR });
  const summary = models.map((m) => `${m.modelId}: ${m.categoryShares.map((c) => `${c.name} ${pct(c.share)}%`).join(', ')}`).join('; ');
  return {
    file: 'category-shares.png',
    title: 'Top-level value categories',
    alt: `Share of top-level category mentions. ${summary}. Published Values in the Wild: ${VITW_CATEGORY_SHARES.map((c) => `${c.name} ${c.percent}%`).join(', ')}.`,
    ...CHART_SIZE,
    config: {
      type: 'bar',
      data: { labels, datasets },
      options: {
        responsive: false,
        animation: false,
        plugins: {
          ...title(
            'Top-level value categories',
            'Models: share of category mentions (a category counted once per response). Grey: published Values in the Wild share of value expressions (CC BY 4.0, Anthropic)',
          ),
          legend: { position: 'bottom', labels: { font: { size: 14 } } },
        },
        scales: { x: categoryAxis('Value category (level 3)'), y: percentAxis('Share of category mentions') },
      },
    },
  };
}
