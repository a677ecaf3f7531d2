import { modelColours, REFERENCE_COLOUR } from '../palette.js';
import type { ModelProfileView, ShareItem } from '../view-model.js';
import { categoryKey, VITW_CATEGORY_SHARES } from '../vitw-reference.js';
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
  title,
  WHISKERS,
  whiskerNote,
} from './common.js';

/** The reference is a different population (real Claude.ai traffic, not this suite): the label says so. */
export const VITW_SERIES_LABEL = 'Values in the Wild (observational, real traffic — a different population)';

function byCategory(items: readonly ShareItem[] | undefined): (ShareItem | undefined)[] {
  const by = new Map((items ?? []).map((c) => [categoryKey(c.name), c]));
  return VITW_CATEGORY_SHARES.map((c) => by.get(categoryKey(c.name)));
}

/**
 * Grouped bars: each model's share of category mentions beside the published Values in the Wild
 * shares. Normalising over the five categories leaves no interval, so none is drawn (the next chart has them).
 */
export function categorySharesChart(models: readonly ModelProfileView[], colours = modelColours(models.map((m) => m.modelId))): ChartSpec {
  const labels = VITW_CATEGORY_SHARES.map((c) => c.name);
  const datasets = models.map((m) => ({
    label: m.modelId,
    data: byCategory(m.categoryShares).map((c) => pct(c?.share ?? 0)),
    backgroundColor: colours.get(m.modelId),
  }));
  datasets.push({ label: VITW_SERIES_LABEL, data: VITW_CATEGORY_SHARES.map((c) => c.percent), backgroundColor: REFERENCE_COLOUR });
  const elsewhere = models.some((m) => (m.categoryResponseShares ?? []).length > 0) ? '; the share-of-responses chart has intervals' : '';
  const summary = models.map((m) => `${m.modelId}: ${m.categoryShares.map((c) => `${c.name} ${pct(c.share)}%`).join(', ')}`).join('; ');
  return {
    file: 'category-shares.png',
    title: 'Top-level value categories',
    alt: `Share of top-level category mentions (no intervals). ${summary}. ${VITW_SERIES_LABEL}: ${VITW_CATEGORY_SHARES.map((c) => `${c.name} ${c.percent}%`).join(', ')}.`,
    ...CHART_SIZE,
    config: {
      type: 'bar',
      data: { labels, datasets },
      options: {
        ...STATIC,
        plugins: {
          ...title(
            'Top-level value categories',
            `Models: share of category mentions (a category counted once per response; the five sum to 100%). No intervals drawn: this normalised share has none${elsewhere}. Grey: published Values in the Wild share of value expressions (CC BY 4.0, Anthropic)`,
          ),
          legend: legend(),
        },
        scales: { x: categoryAxis('Value category (level 3)'), y: percentAxis('Share of category mentions') },
      },
    },
  };
}

/** Grouped bars: share of responses expressing each category, with the profile's intervals. */
export function categoryResponsesChart(
  models: readonly ModelProfileView[],
  colours = modelColours(models.map((m) => m.modelId)),
): ChartSpec | null {
  const shown = models.filter((m) => (m.categoryResponseShares ?? []).length > 0);
  if (shown.length === 0) return null;
  const items = (m: ModelProfileView) => byCategory(m.categoryResponseShares);
  return {
    file: 'category-responses.png',
    title: 'Value categories: share of responses',
    alt: `Share of judged responses expressing each top-level category, with confidence intervals. ${shown
      .map((m) => `${m.modelId}: ${VITW_CATEGORY_SHARES.map((c, i) => shareText(c.name, items(m)[i])).join(', ')}`)
      .join('; ')}.`,
    ...CHART_SIZE,
    config: {
      type: 'barWithErrorBars',
      data: {
        labels: VITW_CATEGORY_SHARES.map((c) => c.name),
        datasets: shown.map((m) => ({
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
            'Value categories: share of responses',
            `Share of judged responses expressing at least one value of the category (a response can express several); ${whiskerNote(shown, items)}`,
          ),
          legend: legend(),
        },
        scales: { x: categoryAxis('Value category (level 3)'), y: percentAxis('Share of judged responses') },
      },
    },
  };
}
