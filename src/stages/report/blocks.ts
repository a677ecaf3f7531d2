import { pointsText, pValueText } from '../../records/diff.js';
import type { GateStatus } from './view-model.js';

/**
 * The report's content, independent of its format: report.md and report.html render the same
 * blocks, so the two never disagree. All strings are plain text; renderers escape them.
 */
/**
 * Where a table cell or a whole row leads in report.html: the transcripts counting in a metric (in a
 * domain), a list of cells, or the paired examples of a change. report.md ignores it.
 */
export interface CellLink {
  /** Metric key (records/metric-key.ts): the transcript browser shows cells counting in its numerator. */
  metric?: string;
  domain?: string | null;
  /** Explicit cell ids (watch-list hits). */
  cells?: string[];
  /** Id of an entry in the page's paired examples (example-pairs.ts). */
  example?: string;
}

/** A table cell: plain text, or text with a hover title (the technical key) and a link to its transcripts. */
export type TableCell = string | { text: string; title?: string; link?: CellLink };

export function cellText(c: TableCell): string {
  return typeof c === 'string' ? c : c.text;
}

/**
 * The report's content, independent of its format: report.md and report.html render the same
 * blocks, so the two never disagree. All strings are plain text; renderers escape them.
 */
export type Block =
  | { kind: 'heading'; level: 2 | 3; text: string; id?: string }
  | { kind: 'para'; text: string; strong?: boolean; muted?: boolean }
  | { kind: 'verdict'; status: GateStatus; text: string }
  /** A page-wide warning shown first (SYNTHETIC, INCOMPLETE INPUT). */
  | { kind: 'banner'; tone: 'synthetic' | 'incomplete'; title: string; text: string }
  | { kind: 'list'; items: string[] }
  | {
      kind: 'table';
      head: string[];
      rows: TableCell[][];
      align?: ('l' | 'r')[];
      caption?: string;
      /** Per row: where clicking the row leads (report.html). */
      rowLinks?: (CellLink | null)[];
      id?: string;
      /** report.md shows only the first rows (a PR comment stays short) and says where the rest are. */
      mdLimit?: number;
    }
  /** Collapsed in report.md (<details>) and report.html; `open` shows it expanded in report.html. */
  | { kind: 'details'; summary: string; blocks: Block[]; open?: boolean; id?: string; htmlOnly?: boolean }
  | { kind: 'charts' };

/** "95%" / "90%": an interval's level as the column heads and sentences name it. */
export function levelText(level: number): string {
  return `${Math.round(level * 1000) / 10}%`;
}

export function pctText(share: number | null | undefined, digits = 1): string {
  if (share === null || share === undefined || Number.isNaN(share)) return '—';
  return `${(share * 100).toFixed(digits)}%`;
}

/** "−10.9 pts", "+2.0 pts", "±0.0 pts": the same rounding as diff.md, the gate summary and intervals (pointsText). */
export function ptsText(delta: number | null | undefined): string {
  if (delta === null || delta === undefined) return '—';
  const t = pointsText(delta);
  return `${t.startsWith('-') ? `−${t.slice(1)}` : t.startsWith('+') ? t : `±${t}`} pts`;
}

export function intervalText(lo: number | null | undefined, hi: number | null | undefined): string {
  if (lo === null || lo === undefined || hi === null || hi === undefined) return '—';
  return `[${pointsText(lo)}, ${pointsText(hi)}]`;
}

export function pText(p: number | null | undefined): string {
  if (p === null || p === undefined) return '—';
  return pValueText(p);
}

export const VERDICT_TEXT: Record<GateStatus, string> = { pass: 'PASSED', fail: 'FAILED', inconclusive: 'INCONCLUSIVE', error: 'ERROR' };
