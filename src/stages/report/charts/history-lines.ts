import type { HistoryFile } from '../../../records/history.js';
import { parseMetricKey } from '../../../records/metric-key.js';
import { changeInto, metricText, runLabel, shareText } from '../history-format.js';
import { OKABE_ITO } from '../palette.js';
import { CHART_WIDTH, type ChartSpec, legend, markSynthetic, pct, percentAxis, rowAxis, STATIC, title, wrap } from './common.js';

/** One chart per group of related metrics, so each chart's lines share a scale and a meaning. */
const GROUPS = [
  { key: 'response-types', title: 'Response types', test: (f: string) => f === 'response_type' },
  {
    key: 'refusal',
    title: 'Refusal and expectations',
    test: (f: string) => ['refusal', 'refusal_rate', 'expect_pass', 'any_value', 'mirroring'].includes(f),
  },
  { key: 'user-values', title: 'Response types when the user states values', test: (f: string) => f === 'user_values_response_type' },
  { key: 'categories', title: 'Value categories', test: (f: string) => f === 'category' },
  { key: 'values', title: 'Other metrics', test: (f: string) => f === 'value' || f === 'other' },
] as const;

/** Vermillion is kept for the flag markers. */
const COLOURS = [OKABE_ITO.blue, OKABE_ITO.orange, OKABE_ITO.green, OKABE_ITO.purple, OKABE_ITO.skyBlue, OKABE_ITO.black, OKABE_ITO.grey];
/** After the seven colours, lines repeat them dashed, so up to 21 lines stay distinguishable without colour alone. */
const DASHES = [[], [8, 4], [2, 3]];

/** Lines are nudged apart on x so overlapping intervals stay readable; the nudge is a fraction of a run. */
function nudge(j: number, count: number): number {
  return count > 1 ? ((j - (count - 1) / 2) * 0.3) / count : 0;
}

function dataset(h: HistoryFile, metric: string, j: number, count: number): Record<string, unknown> {
  const colour = COLOURS[j % COLOURS.length]!;
  return {
    type: 'scatterWithErrorBars',
    label: metricText(metric),
    showLine: true,
    data: h.runs.map((run, i) => {
      const s = run.metrics[metric];
      // No estimate (nothing in the denominator) is a gap in the line, never a drop to 0%.
      const y = s?.estimate != null ? pct(s.estimate) : null;
      const point: Record<string, number | null> = { x: i + nudge(j, count), y };
      if (y !== null && s?.lo != null && s.hi != null) Object.assign(point, { yMin: pct(s.lo), yMax: pct(s.hi) });
      return point;
    }),
    borderColor: colour,
    backgroundColor: colour,
    borderDash: DASHES[Math.floor(j / COLOURS.length) % DASHES.length],
    borderWidth: 2,
    pointRadius: 3.5,
    errorBarColor: colour,
    errorBarWhiskerColor: colour,
    errorBarLineWidth: 1.5,
    errorBarWhiskerLineWidth: 1.5,
    errorBarWhiskerSize: 8,
  };
}

/** Large open diamonds on the runs a metric changed into significantly (first dataset: drawn on top). */
function flagMarkers(h: HistoryFile, metrics: readonly string[]): Record<string, unknown> | null {
  const data = metrics.flatMap((m, j) =>
    h.runs.flatMap((run, i) =>
      changeInto(h, i, m)?.flagged && run.metrics[m]?.estimate != null
        ? [{ x: i + nudge(j, metrics.length), y: pct(run.metrics[m].estimate) }]
        : [],
    ),
  );
  if (data.length === 0) return null;
  return {
    type: 'scatter',
    label: 'significant change from the previous run',
    data,
    pointStyle: 'rectRot',
    pointRadius: 11,
    borderWidth: 3,
    borderColor: OKABE_ITO.vermillion,
    backgroundColor: 'rgba(0,0,0,0)',
  };
}

function groupChart(h: HistoryFile, group: (typeof GROUPS)[number], metrics: readonly string[]): ChartSpec {
  const labels = h.runs.map((r, i) => {
    const change = i > 0 ? h.comparisons[i - 1]!.modelChange : null;
    const note = change ? [change.kind === 'model' ? '⚠ served model changed' : 'fingerprint changed'] : [];
    return [...wrap(runLabel(r, i), Math.max(12, Math.floor(110 / h.runs.length))), ...note];
  });
  const alt = metrics
    .map(
      (m) =>
        `${metricText(m)}: ${h.runs.map((r, i) => `${shareText(r.metrics[m])}${changeInto(h, i, m)?.flagged ? ' (flagged change)' : ''}`).join(' → ')}`,
    )
    .join('; ');
  return {
    file: `history-${group.key}.png`,
    title: `${group.title} over time`,
    alt: `${group.title} of ${h.target} over ${h.runs.length} runs, oldest first, in percent with intervals: ${alt}.`,
    width: CHART_WIDTH,
    height: 620,
    config: {
      type: 'scatterWithErrorBars',
      data: { datasets: [flagMarkers(h, metrics), ...metrics.map((m, j) => dataset(h, m, j, metrics.length))].filter((d) => d !== null) },
      options: {
        ...STATIC,
        plugins: {
          ...title(
            `${group.title} over time: ${h.target}`,
            `Share of responses per run (oldest left) with its ${Math.round(h.settings.level * 100)}% interval; red diamond: significant change from the previous run (BH over all ${h.settings.family.size} tested changes)`,
          ),
          legend: legend(),
        },
        scales: { x: rowAxis(labels, { axis: 'x' }), y: percentAxis('Share of responses') },
      },
    },
  };
}

/** The history's charts (charts/history-<group>.png): one line per metric over the runs, intervals as error bars. */
export function historyCharts(h: HistoryFile): ChartSpec[] {
  const specs = GROUPS.flatMap((g) => {
    const metrics = h.settings.metrics.filter((m) => g.test(parseMetricKey(m).family));
    return metrics.length > 0 ? [groupChart(h, g, metrics)] : [];
  });
  return h.runs.some((r) => r.synthetic) ? specs.map(markSynthetic) : specs;
}
