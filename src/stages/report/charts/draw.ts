import type { Canvas2D } from '../chart-engine.js';
import { FONT_FAMILY } from '../chart-engine.js';

function font(size: number, weight: 'normal' | 'bold' = 'normal'): string {
  return `${weight} ${size}px ${FONT_FAMILY}`;
}

export function text(
  ctx: Canvas2D,
  s: string,
  x: number,
  y: number,
  o: { size?: number; bold?: boolean; align?: string; baseline?: string; colour?: string } = {},
): void {
  ctx.font = font(o.size ?? 14, o.bold ? 'bold' : 'normal');
  ctx.textAlign = o.align ?? 'left';
  ctx.textBaseline = o.baseline ?? 'middle';
  ctx.fillStyle = o.colour ?? '#222222';
  ctx.fillText(s, x, y);
}

export function line(ctx: Canvas2D, x1: number, y1: number, x2: number, y2: number, colour: string, width = 1): void {
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x2, y2);
  ctx.stroke();
}

/** Cuts text to fit a pixel width, with an ellipsis. */
export function fit(ctx: Canvas2D, s: string, maxWidth: number, size: number, bold = false): string {
  ctx.font = font(size, bold ? 'bold' : 'normal');
  if (ctx.measureText(s).width <= maxWidth) return s;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ctx.measureText(`${s.slice(0, mid)}…`).width <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return `${s.slice(0, lo)}…`;
}

/** Round, readable tick values covering [min, max]. */
export function niceTicks(min: number, max: number, target = 6): number[] {
  const span = max - min || 1;
  const raw = span / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= target) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + 1e-9; t += step) ticks.push(Math.round(t * 1e6) / 1e6);
  return ticks;
}

export function drawTitle(ctx: Canvas2D, width: number, heading: string, subtitle?: string): void {
  text(ctx, heading, width / 2, 24, { size: 20, bold: true, align: 'center' });
  if (subtitle) text(ctx, subtitle, width / 2, 50, { size: 13, align: 'center', colour: '#555555' });
}
