import type { ChartConfig } from '../chart-engine.js';

export const CHART_SIZE = { width: 1000, height: 600 } as const;

export function title(text: string, subtitle?: string): Record<string, unknown> {
  return {
    title: { display: true, text, font: { size: 20, weight: 'bold' }, padding: { top: 8, bottom: subtitle ? 2 : 12 } },
    subtitle: { display: Boolean(subtitle), text: subtitle ?? '', font: { size: 13 }, color: '#555555', padding: { bottom: 10 } },
  };
}

export function percentAxis(label: string, max?: number): Record<string, unknown> {
  return {
    beginAtZero: true,
    ...(max !== undefined ? { max } : {}),
    title: { display: true, text: label, font: { size: 15 } },
    ticks: { callback: (v: number | string) => `${v}%`, font: { size: 13 } },
    grid: { color: '#E5E5E5' },
  };
}

export function categoryAxis(label: string): Record<string, unknown> {
  return {
    title: { display: true, text: label, font: { size: 15 } },
    ticks: { font: { size: 13 }, autoSkip: false },
    grid: { display: false },
  };
}

export function pct(share: number): number {
  return Math.round(share * 1000) / 10;
}

/** Shortens long labels for axes; the full text stays in the tables. */
export function clip(label: string, max = 34): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

export interface ChartSpec {
  /** File name under charts/, e.g. "category-shares.png". */
  file: string;
  title: string;
  /** Alt text: what the chart shows, for screen readers and for report.md. */
  alt: string;
  config?: ChartConfig;
  width: number;
  height: number;
  /** Hand-drawn charts: painted directly on the canvas. */
  paint?: (ctx: import('../chart-engine.js').Canvas2D) => void;
}

export function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'x'
  );
}
