import { pointsText } from '../../../records/diff.js';
import { FONT_FAMILY } from '../chart-engine.js';
import { OKABE_ITO } from '../palette.js';
import type { ChangeView } from '../view-model.js';
import { CHART_WIDTH, type ChartSpec, legend, rowAxis, STATIC, title, wrap } from './common.js';

const MAX_ROWS = 20;
/** Characters per label line: about 300px of 13px text, leaving the plot most of the width. */
const LABEL_WRAP = 42;
const LINE_H = 17;
/** Room right of the plot for each row's numbers (drawn by a plugin: a second axis would halve the labels' width). */
const NUMBERS_W = 170;

/** Significance is told by colour and by marker shape, so it survives greyscale and colour-blindness. */
export const FOREST_GROUPS = [
  {
    label: 'significant after correction',
    colour: OKABE_ITO.vermillion,
    fill: OKABE_ITO.vermillion,
    pointStyle: 'rectRot',
    significant: true,
  },
  { label: 'not significant', colour: '#666666', fill: '#FFFFFF', pointStyle: 'circle', significant: false },
] as const;
type Group = (typeof FOREST_GROUPS)[number];

/** The first changes in the given order (significant first, then largest |delta|), each with its interval. */
export function forestPlot(changes: readonly ChangeView[], baseLabel: string, candidateLabel: string): ChartSpec | null {
  const rows = changes.slice(0, MAX_ROWS);
  if (rows.length === 0) return null;
  const labels = rows.map((r) => wrap(r.label, LABEL_WRAP));
  const rowHeight = Math.max(30, Math.max(...labels.map((l) => l.length)) * LINE_H + 12);
  const groups = FOREST_GROUPS.filter((g) => rows.some((r) => r.significant === g.significant));
  return {
    file: 'forest-plot.png',
    title: 'Largest changes',
    alt: `Largest changes from ${baseLabel} to ${candidateLabel}, in percentage points with confidence intervals: ${rows
      .map((r) => `${r.label} ${intervalText(r)}${r.significant ? ' significant' : ''}`)
      .join('; ')}.`,
    width: CHART_WIDTH,
    height: Math.max(340, 210 + rows.length * rowHeight),
    config: {
      type: 'scatterWithErrorBars',
      // Markers first: chart.js draws the first dataset on top, so intervals never cover a marker.
      data: { labels, datasets: [...groups.map((g) => markers(rows, g)), ...groups.map((g) => intervals(rows, g))] },
      options: {
        ...STATIC,
        plugins: {
          ...title(
            `Largest changes: ${baseLabel} → ${candidateLabel}`,
            'Change in share (percentage points, candidate − base) with its confidence interval; marker: significant or not after multiple-comparison correction (legend)',
          ),
          legend: {
            ...legend(),
            labels: {
              font: { size: 14 },
              usePointStyle: true,
              filter: (item: { datasetIndex?: number }) => (item.datasetIndex ?? 0) < groups.length,
            },
          },
        },
        layout: { padding: { left: 8, right: NUMBERS_W } },
        scales: scales(rows, labels),
      },
      plugins: [rowNumbers(rows.map((r) => intervalText(r)))],
    },
  };
}

function markers(rows: readonly ChangeView[], g: Group): Record<string, unknown> {
  return {
    type: 'scatter',
    label: g.label,
    data: rows.flatMap((r, i) => (r.significant === g.significant ? [{ x: pts(r.delta), y: i }] : [])),
    pointStyle: g.pointStyle,
    pointRadius: 7,
    backgroundColor: g.fill,
    borderColor: g.colour,
    borderWidth: 2,
  };
}

function intervals(rows: readonly ChangeView[], g: Group): Record<string, unknown> {
  return {
    label: `${g.label}: interval`,
    data: rows.flatMap((r, i) => (r.significant === g.significant ? [{ x: pts(r.delta), y: i, xMin: pts(r.lo), xMax: pts(r.hi) }] : [])),
    pointRadius: 0,
    errorBarColor: g.colour,
    errorBarWhiskerColor: g.colour,
    errorBarLineWidth: 2.5,
    errorBarWhiskerLineWidth: 2,
    errorBarWhiskerSize: 12,
  };
}

/** Change axis spanning zero and every interval; rows named on the left, their numbers on the right. */
function scales(rows: readonly ChangeView[], labels: string[][]): Record<string, unknown> {
  const lo = Math.min(0, ...rows.map((r) => pts(r.lo)));
  const hi = Math.max(0, ...rows.map((r) => pts(r.hi)));
  const pad = (hi - lo) * 0.05 || 1;
  const zero = (ctx: { tick?: { value: number } }) => ctx.tick?.value === 0;
  return {
    x: {
      type: 'linear',
      suggestedMin: lo - pad,
      suggestedMax: hi + pad,
      title: { display: true, text: 'Change in percentage points (candidate − base)', font: { size: 15 } },
      ticks: { font: { size: 13 }, callback: (v: number | string) => (Number(v) > 0 ? `+${v}` : `${v}`) },
      grid: {
        color: (c: { tick?: { value: number } }) => (zero(c) ? '#444444' : '#E5E5E5'),
        lineWidth: (c: { tick?: { value: number } }) => (zero(c) ? 2 : 1),
      },
    },
    y: { ...rowAxis(labels, { axis: 'y' }), grid: { display: true, color: '#F2F2F2' } },
  };
}

interface NumbersChart {
  ctx: { font: string; fillStyle: string; textAlign: string; textBaseline: string; fillText(s: string, x: number, y: number): void };
  chartArea: { top: number; right: number };
  scales: { y?: { getPixelForValue(v: number): number } };
}

/** Each row's change and interval, right of the plot, level with its row. */
function rowNumbers(texts: readonly string[]): Record<string, unknown> {
  return {
    id: 'rowNumbers',
    afterDraw(chart: NumbersChart) {
      const { ctx, chartArea, scales } = chart;
      const x = chartArea.right + 12;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'middle';
      ctx.fillStyle = '#222222';
      ctx.font = `bold 13px ${FONT_FAMILY}`;
      ctx.fillText('Δ [interval], points', x, chartArea.top - 12);
      ctx.font = `13px ${FONT_FAMILY}`;
      texts.forEach((t, i) => {
        ctx.fillText(t, x, scales.y?.getPixelForValue(i) ?? 0);
      });
    },
  };
}

function pts(v: number): number {
  return v * 100;
}

/** "+1.2 [-0.3, +2.7]", rounded as in every table (pointsText); an untested metric has no interval to show. */
function intervalText(r: ChangeView): string {
  if (r.p === undefined && r.lo === r.hi) return `${pointsText(r.delta)} (not tested)`;
  return `${pointsText(r.delta)} [${pointsText(r.lo)}, ${pointsText(r.hi)}]`;
}
