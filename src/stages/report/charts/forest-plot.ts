import { OKABE_ITO } from '../palette.js';
import type { ChangeView } from '../view-model.js';
import type { ChartSpec } from './common.js';
import { drawTitle, fit, line, niceTicks, text } from './draw.js';

const MAX_ROWS = 20;
const SIG = OKABE_ITO.vermillion;
const NOT_SIG = OKABE_ITO.grey;

/** The first changes in the given order (significant first, then largest |delta|), with intervals; significant ones filled. */
export function forestPlot(changes: readonly ChangeView[], baseLabel: string, candidateLabel: string): ChartSpec | null {
  const rows = changes.slice(0, MAX_ROWS);
  if (rows.length === 0) return null;
  const width = 1000;
  const rowH = 26;
  const top = 80;
  const bottom = 90;
  const height = Math.max(600, top + rows.length * rowH + bottom);
  const left = 430;
  const right = width - 150;
  const toPts = (v: number): number => v * 100;
  const lo = Math.min(0, ...rows.map((r) => toPts(r.lo)));
  const hi = Math.max(0, ...rows.map((r) => toPts(r.hi)));
  const pad = (hi - lo) * 0.05 || 1;
  const ticks = niceTicks(lo - pad, hi + pad, 9);
  const xmin = Math.min(lo - pad, ticks[0] ?? lo);
  const xmax = Math.max(hi + pad, ticks[ticks.length - 1] ?? hi);
  const x = (v: number): number => left + ((v - xmin) / (xmax - xmin)) * (right - left);
  const plotBottom = top + rows.length * rowH;
  return {
    file: 'forest-plot.png',
    title: 'Largest changes',
    alt: `Largest changes from ${baseLabel} to ${candidateLabel}, in percentage points with confidence intervals: ${rows
      .map(
        (r) =>
          `${r.label} ${signed(toPts(r.delta))} [${signed(toPts(r.lo))}, ${signed(toPts(r.hi))}]${r.significant ? ' significant' : ''}`,
      )
      .join('; ')}.`,
    width,
    height,
    paint(ctx) {
      drawTitle(
        ctx,
        width,
        `Largest changes: ${baseLabel} → ${candidateLabel}`,
        'Change in share (percentage points) with confidence interval; filled red = significant after correction',
      );
      for (const t of ticks) {
        line(ctx, x(t), top - 6, x(t), plotBottom, t === 0 ? '#444444' : '#E5E5E5', t === 0 ? 1.5 : 1);
        text(ctx, t > 0 ? `+${t}` : `${t}`, x(t), plotBottom + 16, { size: 13, align: 'center' });
      }
      text(ctx, 'Change in percentage points (candidate − base)', (left + right) / 2, plotBottom + 44, { size: 15, align: 'center' });
      text(ctx, 'Δ [interval]', right + 12, top - 14, { size: 13, bold: true });
      rows.forEach((r, i) => {
        const y = top + i * rowH + rowH / 2;
        const colour = r.significant ? SIG : NOT_SIG;
        text(ctx, fit(ctx, r.label, left - 24, 13, r.significant), left - 12, y, { size: 13, align: 'right', bold: r.significant });
        line(ctx, x(toPts(r.lo)), y, x(toPts(r.hi)), y, colour, 2.5);
        line(ctx, x(toPts(r.lo)), y - 5, x(toPts(r.lo)), y + 5, colour, 2);
        line(ctx, x(toPts(r.hi)), y - 5, x(toPts(r.hi)), y + 5, colour, 2);
        const cx = x(toPts(r.delta));
        ctx.fillStyle = r.significant ? SIG : '#FFFFFF';
        ctx.strokeStyle = colour;
        ctx.lineWidth = 2;
        ctx.fillRect(cx - 5, y - 5, 10, 10);
        ctx.strokeRect(cx - 5, y - 5, 10, 10);
        text(ctx, `${signed(toPts(r.delta))} [${signed(toPts(r.lo))}, ${signed(toPts(r.hi))}]`, right + 12, y, { size: 12 });
      });
      const ly = height - 22;
      ctx.fillStyle = SIG;
      ctx.fillRect(left, ly - 5, 10, 10);
      text(ctx, 'significant', left + 16, ly, { size: 13 });
      ctx.fillStyle = '#FFFFFF';
      ctx.strokeStyle = NOT_SIG;
      ctx.strokeRect(left + 130, ly - 5, 10, 10);
      text(ctx, 'not significant', left + 146, ly, { size: 13 });
    },
  };
}

function signed(v: number): string {
  const r = Math.round(v * 10) / 10;
  return r > 0 ? `+${r.toFixed(1)}` : r === 0 ? '0.0' : r.toFixed(1);
}
