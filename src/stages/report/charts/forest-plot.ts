import { pointsText } from '../../../records/diff.js';
import type { Canvas2D } from '../chart-engine.js';
import { OKABE_ITO } from '../palette.js';
import type { ChangeView } from '../view-model.js';
import type { ChartSpec } from './common.js';
import { drawTitle, fit, line, niceTicks, text } from './draw.js';

const MAX_ROWS = 20;
const SIG = OKABE_ITO.vermillion;
const NOT_SIG = OKABE_ITO.grey;
const WIDTH = 1000;
const ROW_H = 26;
const TOP = 80;
const BOTTOM = 90;
const LEFT = 430;
const RIGHT = WIDTH - 150;

/** Where things go on the canvas; the x scale spans every interval and zero, padded by 5%. */
interface ForestLayout {
  height: number;
  plotBottom: number;
  ticks: number[];
  xmin: number;
  xmax: number;
}

/** The first changes in the given order (significant first, then largest |delta|), with intervals; significant ones filled. */
export function forestPlot(changes: readonly ChangeView[], baseLabel: string, candidateLabel: string): ChartSpec | null {
  const rows = changes.slice(0, MAX_ROWS);
  if (rows.length === 0) return null;
  const layout = forestLayout(rows);
  return {
    file: 'forest-plot.png',
    title: 'Largest changes',
    alt: `Largest changes from ${baseLabel} to ${candidateLabel}, in percentage points with confidence intervals: ${rows
      .map((r) => `${r.label} ${interval(r)}${r.significant ? ' significant' : ''}`)
      .join('; ')}.`,
    width: WIDTH,
    height: layout.height,
    paint(ctx) {
      drawTitle(
        ctx,
        WIDTH,
        `Largest changes: ${baseLabel} → ${candidateLabel}`,
        'Change in share (percentage points) with confidence interval; filled red = significant after correction',
      );
      paintAxis(ctx, layout);
      rows.forEach((r, i) => {
        paintRow(ctx, layout, r, TOP + i * ROW_H + ROW_H / 2);
      });
      paintLegend(ctx, layout.height - 22);
    },
  };
}

function forestLayout(rows: readonly ChangeView[]): ForestLayout {
  const lo = Math.min(0, ...rows.map((r) => toPts(r.lo)));
  const hi = Math.max(0, ...rows.map((r) => toPts(r.hi)));
  const pad = (hi - lo) * 0.05 || 1;
  const ticks = niceTicks(lo - pad, hi + pad, 9);
  return {
    height: Math.max(600, TOP + rows.length * ROW_H + BOTTOM),
    plotBottom: TOP + rows.length * ROW_H,
    ticks,
    xmin: Math.min(lo - pad, ticks[0] ?? lo),
    xmax: Math.max(hi + pad, ticks[ticks.length - 1] ?? hi),
  };
}

function xOf(layout: ForestLayout, v: number): number {
  return LEFT + ((v - layout.xmin) / (layout.xmax - layout.xmin)) * (RIGHT - LEFT);
}

function paintAxis(ctx: Canvas2D, layout: ForestLayout): void {
  const { plotBottom } = layout;
  for (const t of layout.ticks) {
    const x = xOf(layout, t);
    line(ctx, x, TOP - 6, x, plotBottom, t === 0 ? '#444444' : '#E5E5E5', t === 0 ? 1.5 : 1);
    text(ctx, t > 0 ? `+${t}` : `${t}`, x, plotBottom + 16, { size: 13, align: 'center' });
  }
  text(ctx, 'Change in percentage points (candidate − base)', (LEFT + RIGHT) / 2, plotBottom + 44, { size: 15, align: 'center' });
  text(ctx, 'Δ [interval]', RIGHT + 12, TOP - 14, { size: 13, bold: true });
}

/** Label, interval whiskers, a square at the estimate (filled when significant) and the numbers. */
function paintRow(ctx: Canvas2D, layout: ForestLayout, r: ChangeView, y: number): void {
  const colour = r.significant ? SIG : NOT_SIG;
  const xlo = xOf(layout, toPts(r.lo));
  const xhi = xOf(layout, toPts(r.hi));
  text(ctx, fit(ctx, r.label, LEFT - 24, 13, r.significant), LEFT - 12, y, { size: 13, align: 'right', bold: r.significant });
  line(ctx, xlo, y, xhi, y, colour, 2.5);
  line(ctx, xlo, y - 5, xlo, y + 5, colour, 2);
  line(ctx, xhi, y - 5, xhi, y + 5, colour, 2);
  const cx = xOf(layout, toPts(r.delta));
  ctx.fillStyle = r.significant ? SIG : '#FFFFFF';
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2;
  ctx.fillRect(cx - 5, y - 5, 10, 10);
  ctx.strokeRect(cx - 5, y - 5, 10, 10);
  text(ctx, interval(r), RIGHT + 12, y, { size: 12 });
}

function paintLegend(ctx: Canvas2D, ly: number): void {
  ctx.fillStyle = SIG;
  ctx.fillRect(LEFT, ly - 5, 10, 10);
  text(ctx, 'significant', LEFT + 16, ly, { size: 13 });
  ctx.fillStyle = '#FFFFFF';
  ctx.strokeStyle = NOT_SIG;
  ctx.strokeRect(LEFT + 130, ly - 5, 10, 10);
  text(ctx, 'not significant', LEFT + 146, ly, { size: 13 });
}

function toPts(v: number): number {
  return v * 100;
}

/** "+1.2 [-0.3, +2.7]": the change and its interval in points, rounded as in every table (pointsText). */
function interval(r: ChangeView): string {
  return `${pointsText(r.delta)} [${pointsText(r.lo)}, ${pointsText(r.hi)}]`;
}
