import type { Canvas2D } from '../chart-engine.js';
import type { DisproportionateCell } from '../view-model.js';
import type { ChartSpec } from './common.js';
import { slug } from './common.js';
import { drawTitle, fit, text } from './draw.js';

const MAX_COLS = 14;
const MAX_ROWS = 16;
const WIDTH = 1000;
const LEFT = 230;
const TOP = 200;
const ROW_H = 32;

/** The matrix to draw: the strongest values as columns, the domains they stand out in as rows. */
interface HeatLayout {
  values: string[];
  /** Every domain with a shown value; only the first MAX_ROWS are drawn. */
  domainsAll: string[];
  domains: string[];
  at: Map<string, DisproportionateCell>;
  maxR: number;
  cell: number;
  height: number;
}

/** Sequential white -> dark blue scale (readable in greyscale and for colour-blind readers). */
function blue(t: number): string {
  const c = Math.max(0, Math.min(1, t));
  const from = [247, 251, 255];
  const to = [8, 48, 107];
  const rgb = from.map((f, i) => Math.round(f + ((to[i] ?? f) - f) * c));
  return `rgb(${rgb.join(',')})`;
}

/**
 * Domain x value matrix of adjusted residuals: darker = the value is more over-represented in
 * that domain; significant cells carry a bold number and a black border.
 */
export function heatMap(cells: readonly DisproportionateCell[], modelId: string): ChartSpec | null {
  const positive = cells.filter((c) => c.residual > 0);
  if (positive.length === 0) return null;
  const layout = heatLayout(cells, positive);
  return {
    file: `heat-map-${slug(modelId)}.png`,
    title: `Disproportionate values by domain: ${modelId}`,
    alt: `Values over-represented in a domain for ${modelId} (adjusted residuals): ${significantSummary(positive) || 'none significant'}.`,
    width: WIDTH,
    height: layout.height,
    paint(ctx) {
      drawTitle(
        ctx,
        WIDTH,
        `Disproportionate values by domain — ${modelId}`,
        'Adjusted Pearson residual of value × domain; darker = more over-represented; bold border = significant',
      );
      paintColumnLabels(ctx, layout);
      layout.domains.forEach((d, i) => {
        paintRow(ctx, layout, d, TOP + i * ROW_H);
      });
      paintLegend(ctx, layout);
    },
  };
}

function heatLayout(cells: readonly DisproportionateCell[], positive: DisproportionateCell[]): HeatLayout {
  const best = new Map<string, number>();
  for (const c of positive) best.set(c.value, Math.max(best.get(c.value) ?? 0, c.residual));
  const values = [...best.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_COLS)
    .map(([v]) => v);
  const domainsAll = [...new Set(positive.filter((c) => values.includes(c.value)).map((c) => c.domain))].sort();
  const domains = domainsAll.slice(0, MAX_ROWS);
  return {
    values,
    domainsAll,
    domains,
    at: new Map(cells.map((c) => [cellKey(c.domain, c.value), c])),
    maxR: Math.max(...positive.map((c) => c.residual)),
    cell: Math.min(72, Math.floor((WIDTH - LEFT - 40) / values.length)),
    height: Math.max(420, TOP + domains.length * ROW_H + 90),
  };
}

function cellKey(domain: string, value: string): string {
  return `${domain}\u0000${value}`;
}

/** The 20 strongest significant cells, for the alt text; empty when none is significant. */
function significantSummary(positive: DisproportionateCell[]): string {
  return positive
    .filter((c) => c.significant)
    .sort((a, b) => b.residual - a.residual)
    .slice(0, 20)
    .map((c) => `${c.value} in ${c.domain} (${c.residual.toFixed(1)})`)
    .join('; ');
}

function paintColumnLabels(ctx: Canvas2D, { values, cell }: HeatLayout): void {
  values.forEach((v, j) => {
    const cx = LEFT + j * cell + cell / 2;
    ctx.save();
    ctx.translate(cx, TOP - 8);
    ctx.rotate(-Math.PI / 4);
    text(ctx, fit(ctx, v, 170, 13), 0, 0, { size: 13 });
    ctx.restore();
  });
}

function paintRow(ctx: Canvas2D, layout: HeatLayout, d: string, y: number): void {
  const { cell, maxR } = layout;
  text(ctx, fit(ctx, d, LEFT - 16, 13), LEFT - 10, y + ROW_H / 2, { size: 13, align: 'right' });
  layout.values.forEach((v, j) => {
    const c = layout.at.get(cellKey(d, v));
    const r = c?.residual ?? 0;
    const x = LEFT + j * cell;
    ctx.fillStyle = r > 0 ? blue(r / maxR) : '#FFFFFF';
    ctx.fillRect(x, y, cell, ROW_H);
    ctx.strokeStyle = c?.significant && r > 0 ? '#000000' : '#DDDDDD';
    ctx.lineWidth = c?.significant && r > 0 ? 2 : 1;
    ctx.strokeRect(x + 0.5, y + 0.5, cell - 1, ROW_H - 1);
    if (r > 0)
      text(ctx, r.toFixed(1), x + cell / 2, y + ROW_H / 2, {
        size: 12,
        align: 'center',
        bold: c?.significant ?? false,
        colour: r / maxR > 0.55 ? '#FFFFFF' : '#222222',
      });
  });
}

/** Six swatches of the colour scale, and a note when rows were left out. */
function paintLegend(ctx: Canvas2D, { domains, domainsAll, maxR }: HeatLayout): void {
  const ly = TOP + domains.length * ROW_H + 40;
  text(ctx, 'Residual:', LEFT, ly, { size: 13 });
  for (let k = 0; k <= 5; k++) {
    const x = LEFT + 80 + k * 60;
    ctx.fillStyle = blue(k / 5);
    ctx.fillRect(x, ly - 10, 60, 20);
    text(ctx, ((maxR * k) / 5).toFixed(1), x + 30, ly + 22, { size: 12, align: 'center' });
  }
  if (domainsAll.length > domains.length)
    text(ctx, `(${domainsAll.length - domains.length} more domains in the tables)`, LEFT + 480, ly, { size: 12, colour: '#555555' });
}
