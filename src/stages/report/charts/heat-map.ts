import type { DisproportionateCell } from '../view-model.js';
import type { ChartSpec } from './common.js';
import { slug } from './common.js';
import { drawTitle, fit, text } from './draw.js';

const MAX_COLS = 14;
const MAX_ROWS = 16;

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
  const best = new Map<string, number>();
  for (const c of positive) best.set(c.value, Math.max(best.get(c.value) ?? 0, c.residual));
  const values = [...best.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_COLS)
    .map(([v]) => v);
  const domainsAll = [...new Set(positive.filter((c) => values.includes(c.value)).map((c) => c.domain))].sort();
  const domains = domainsAll.slice(0, MAX_ROWS);
  const at = new Map(cells.map((c) => [`${c.domain}\u0000${c.value}`, c]));
  const maxR = Math.max(...positive.map((c) => c.residual));
  const width = 1000;
  const left = 230;
  const top = 200;
  const cell = Math.min(72, Math.floor((width - left - 40) / values.length));
  const rowH = 32;
  const height = Math.max(420, top + domains.length * rowH + 90);
  return {
    file: `heat-map-${slug(modelId)}.png`,
    title: `Disproportionate values by domain: ${modelId}`,
    alt: `Values over-represented in a domain for ${modelId} (adjusted residuals): ${
      positive
        .filter((c) => c.significant)
        .sort((a, b) => b.residual - a.residual)
        .slice(0, 20)
        .map((c) => `${c.value} in ${c.domain} (${c.residual.toFixed(1)})`)
        .join('; ') || 'none significant'
    }.`,
    width,
    height,
    paint(ctx) {
      drawTitle(
        ctx,
        width,
        `Disproportionate values by domain — ${modelId}`,
        'Adjusted Pearson residual of value × domain; darker = more over-represented; bold border = significant',
      );
      values.forEach((v, j) => {
        const cx = left + j * cell + cell / 2;
        ctx.save();
        ctx.translate(cx, top - 8);
        ctx.rotate(-Math.PI / 4);
        text(ctx, fit(ctx, v, 170, 13), 0, 0, { size: 13 });
        ctx.restore();
      });
      domains.forEach((d, i) => {
        const y = top + i * rowH;
        text(ctx, fit(ctx, d, left - 16, 13), left - 10, y + rowH / 2, { size: 13, align: 'right' });
        values.forEach((v, j) => {
          const c = at.get(`${d}\u0000${v}`);
          const r = c?.residual ?? 0;
          const x = left + j * cell;
          ctx.fillStyle = r > 0 ? blue(r / maxR) : '#FFFFFF';
          ctx.fillRect(x, y, cell, rowH);
          ctx.strokeStyle = c?.significant && r > 0 ? '#000000' : '#DDDDDD';
          ctx.lineWidth = c?.significant && r > 0 ? 2 : 1;
          ctx.strokeRect(x + 0.5, y + 0.5, cell - 1, rowH - 1);
          if (r > 0)
            text(ctx, r.toFixed(1), x + cell / 2, y + rowH / 2, {
              size: 12,
              align: 'center',
              bold: c?.significant ?? false,
              colour: r / maxR > 0.55 ? '#FFFFFF' : '#222222',
            });
        });
      });
      const ly = top + domains.length * rowH + 40;
      text(ctx, 'Residual:', left, ly, { size: 13 });
      for (let k = 0; k <= 5; k++) {
        const x = left + 80 + k * 60;
        ctx.fillStyle = blue(k / 5);
        ctx.fillRect(x, ly - 10, 60, 20);
        text(ctx, ((maxR * k) / 5).toFixed(1), x + 30, ly + 22, { size: 12, align: 'center' });
      }
      if (domainsAll.length > domains.length)
        text(ctx, `(${domainsAll.length - domains.length} more domains in the tables)`, left + 480, ly, { size: 12, colour: '#555555' });
    },
  };
}
