import { FONT_FAMILY } from '../chart-engine.js';
import type { DisproportionateCell } from '../view-model.js';
import { type ChartSpec, rowAxis, STATIC, slug, title, wrap } from './common.js';

const MAX_VALUES = 16;
const MAX_DOMAINS = 14;
const CELL_W = 104;
const CELL_H = 34;
const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/**
 * Fixed residual bins, so one colour means the same residual in every model's map; a sequential
 * white → dark blue scale reads in greyscale and for colour-blind readers.
 */
const HEAT_BINS = [
  { from: 0, label: 'residual 0–2', colour: '#DEEBF7' },
  { from: 2, label: '2–3', colour: '#9ECAE1' },
  { from: 3, label: '3–4', colour: '#6BAED6' },
  { from: 4, label: '4–6', colour: '#3182BD' },
  { from: 6, label: '≥ 6', colour: '#08519C' },
] as const;
const EMPTY = { label: 'not over-represented or not listed', colour: '#FFFFFF' };
const SIGNIFICANT_BORDER = '#000000';

function heatColour(residual: number | null): string {
  if (residual === null || residual <= 0) return EMPTY.colour;
  return [...HEAT_BINS].reverse().find((b) => residual >= b.from)?.colour ?? EMPTY.colour;
}

interface HeatCell {
  x: number;
  y: number;
  v: number | null;
  significant: boolean;
}

/** The strongest values as rows, the domains they stand out in as columns; null when that is not a matrix. */
function heatGrid(cells: readonly DisproportionateCell[]): { values: string[]; domains: string[]; cells: HeatCell[] } | null {
  const positive = cells.filter((c) => c.residual > 0);
  const best = new Map<string, number>();
  for (const c of positive) best.set(c.value, Math.max(best.get(c.value) ?? 0, c.residual));
  const values = [...best.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, MAX_VALUES)
    .map(([v]) => v);
  const domains = [...new Set(positive.filter((c) => values.includes(c.value)).map((c) => c.domain))].sort().slice(0, MAX_DOMAINS);
  // One row or one column is a list, not a map: the tables show it better.
  if (values.length < 2 || domains.length < 2) return null;
  const at = new Map(positive.map((c) => [`${c.domain}\u0000${c.value}`, c]));
  const grid = values.flatMap((v, y) =>
    domains.map((d, x) => {
      const c = at.get(`${d}\u0000${v}`);
      return { x, y, v: c?.residual ?? null, significant: c?.significant ?? false };
    }),
  );
  return { values, domains, cells: grid };
}

/** Value × domain matrix of adjusted residuals, sized to its rows and columns, numbers in the cells. */
export function heatMap(cells: readonly DisproportionateCell[], modelId: string): ChartSpec | null {
  const grid = heatGrid(cells);
  if (!grid) return null;
  const { values, domains } = grid;
  const drawn = grid.cells.filter((c) => c.v !== null);
  const width = clamp(300 + domains.length * CELL_W, 640, 1500);
  return {
    file: `heat-map-${slug(modelId)}.png`,
    title: `Disproportionate values by domain: ${modelId}`,
    alt: `Values over-represented in a domain for ${modelId} (adjusted residuals; * = significant): ${drawn
      .sort((a, b) => (b.v ?? 0) - (a.v ?? 0))
      .map((c) => `${values[c.y]} in ${domains[c.x]} ${c.v?.toFixed(1)}${c.significant ? '*' : ''}`)
      .join('; ')}.`,
    width,
    height: clamp(270 + values.length * CELL_H, 420, 1400),
    config: {
      type: 'matrix',
      data: {
        datasets: [
          {
            label: 'adjusted residual',
            data: grid.cells,
            backgroundColor: grid.cells.map((c) => heatColour(c.v)),
            borderColor: grid.cells.map((c) => (c.significant ? SIGNIFICANT_BORDER : '#D0D0D0')),
            borderWidth: grid.cells.map((c) => (c.significant ? 3 : 1)),
            width: ({ chart }: { chart: { chartArea?: { width: number } } }) => (chart.chartArea?.width ?? 0) / domains.length - 2,
            height: ({ chart }: { chart: { chartArea?: { height: number } } }) => (chart.chartArea?.height ?? 0) / values.length - 2,
          },
        ],
      },
      options: {
        ...STATIC,
        plugins: {
          ...title(
            `Disproportionate values by domain — ${modelId}`,
            'Adjusted Pearson residual of value × domain (number in the cell); darker blue = more over-represented; black border = significant',
            width,
          ),
          legend: { position: 'bottom', labels: { font: { size: 13 }, generateLabels: heatLegend } },
          tooltip: { enabled: false },
        },
        layout: { padding: { right: 16 } },
        scales: heatScales(grid),
      },
      plugins: [cellNumbers(grid.cells)],
    },
  };
}

/** Domains across the top, values down the side, every label whole (wrapped, hyphenated domains broken after a hyphen). */
function heatScales({ values, domains }: { values: string[]; domains: string[] }): Record<string, unknown> {
  const axisTitle = (text: string) => ({ display: true, text, font: { size: 15 } });
  return {
    x: {
      ...rowAxis(
        domains.map((d) => wrap(d, 14, true)),
        { axis: 'x', position: 'top' },
      ),
      title: axisTitle('Domain'),
    },
    y: {
      ...rowAxis(
        values.map((v) => wrap(v, 30)),
        { axis: 'y' },
      ),
      title: axisTitle('Value'),
    },
  };
}

/** The legend is the colour scale: one swatch per bin, the empty cell, and the significance border. */
function heatLegend(): Record<string, unknown>[] {
  const swatch = (text: string, fillStyle: string, strokeStyle = '#D0D0D0', lineWidth = 1) => ({
    text,
    fillStyle,
    strokeStyle,
    lineWidth,
    hidden: false,
  });
  return [
    ...HEAT_BINS.map((b) => swatch(b.label, b.colour)),
    swatch(EMPTY.label, EMPTY.colour),
    swatch('significant (Bonferroni)', '#FFFFFF', SIGNIFICANT_BORDER, 3),
  ];
}

interface CellElement {
  getProps(keys: string[], final: boolean): { x: number; y: number; width: number; height: number };
}
interface DrawChart {
  ctx: { font: string; fillStyle: string; textAlign: string; textBaseline: string; fillText(s: string, x: number, y: number): void };
  getDatasetMeta(i: number): { data: CellElement[] };
}

/** Writes each residual in its cell (white on the dark bins), bold when significant. */
function cellNumbers(cells: readonly HeatCell[]): Record<string, unknown> {
  return {
    id: 'cellNumbers',
    afterDatasetsDraw(chart: DrawChart) {
      const { ctx } = chart;
      chart.getDatasetMeta(0).data.forEach((el, i) => {
        const c = cells[i];
        if (!c || c.v === null) return;
        const { x, y, width, height } = el.getProps(['x', 'y', 'width', 'height'], true);
        ctx.font = `${c.significant ? 'bold ' : ''}13px ${FONT_FAMILY}`;
        ctx.fillStyle = c.v >= 4 ? '#FFFFFF' : '#222222';
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        ctx.fillText(c.v.toFixed(1), x + width / 2, y + height / 2);
      });
    },
  };
}
