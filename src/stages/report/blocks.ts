import type { GateStatus } from './view-model.js';

/**
 * The report's content, independent of its format: report.md and report.html render the same
 * blocks, so the two never disagree. All strings are plain text; renderers escape them.
 */
export type Block =
  | { kind: 'heading'; level: 2 | 3; text: string; id?: string }
  | { kind: 'para'; text: string; strong?: boolean; muted?: boolean }
  | { kind: 'verdict'; status: GateStatus; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; head: string[]; rows: string[][]; align?: ('l' | 'r')[]; caption?: string }
  | { kind: 'charts' };

export function pctText(share: number | null | undefined, digits = 1): string {
  if (share === null || share === undefined || Number.isNaN(share)) return '—';
  return `${(share * 100).toFixed(digits)}%`;
}

export function ptsText(delta: number | null | undefined): string {
  if (delta === null || delta === undefined) return '—';
  const v = delta * 100;
  return `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(1)} pts`;
}

export function intervalText(lo: number | null | undefined, hi: number | null | undefined): string {
  if (lo === null || lo === undefined || hi === null || hi === undefined) return '—';
  const f = (x: number): string => {
    const r = Math.round(x * 1000) / 10;
    return `${r > 0 ? '+' : ''}${r === 0 ? '0.0' : r.toFixed(1)}`;
  };
  return `[${f(lo)}, ${f(hi)}]`;
}

export function pText(p: number | null | undefined): string {
  if (p === null || p === undefined) return '—';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

export const VERDICT_TEXT: Record<GateStatus, string> = { pass: 'PASSED', fail: 'FAILED', inconclusive: 'INCONCLUSIVE', error: 'ERROR' };
