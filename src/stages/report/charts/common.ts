import { fileSlug } from '../../../util/file-slug.js';
import type { ChartConfig } from '../chart-engine.js';
import type { ModelProfileView, ShareItem } from '../view-model.js';

export const CHART_WIDTH = 1000;
export const CHART_SIZE = { width: CHART_WIDTH, height: 600 } as const;
/** Characters per line of the 20px title and the 13px subtitle on a 1000px canvas (chart.js does not wrap). */
const TITLE_CHARS_PER_1000PX = 76;
const SUBTITLE_CHARS_PER_1000PX = 135;
const perLine = (chars: number, width: number) => Math.floor((chars * width) / 1000);

export const SYNTHETIC_PREFIX = 'SYNTHETIC — ';

/** Options every chart shares: a fixed canvas, no animation (one static frame is rendered). */
export const STATIC = { responsive: false, animation: false } as const;

/** Whiskers dark enough to read on every model colour. */
export const WHISKERS = {
  errorBarColor: '#222222',
  errorBarWhiskerColor: '#222222',
  errorBarLineWidth: 1.5,
  errorBarWhiskerLineWidth: 1.5,
  errorBarWhiskerRatio: 0.35,
} as const;

/** Title and subtitle, wrapped to the canvas `width`. */
export function title(text: string, subtitle?: string, width: number = CHART_WIDTH): Record<string, unknown> {
  return {
    title: {
      display: true,
      text: wrap(text, perLine(TITLE_CHARS_PER_1000PX, width)),
      font: { size: 20, weight: 'bold' },
      padding: { top: 8, bottom: subtitle ? 2 : 12 },
    },
    subtitle: {
      display: Boolean(subtitle),
      text: subtitle ? wrap(subtitle, perLine(SUBTITLE_CHARS_PER_1000PX, width)) : '',
      font: { size: 13 },
      color: '#555555',
      padding: { bottom: 10 },
    },
  };
}

export function legend(): Record<string, unknown> {
  return { position: 'bottom', labels: { font: { size: 14 } } };
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
    ticks: { font: { size: 13 }, autoSkip: false, maxRotation: 0 },
    grid: { display: false },
  };
}

/**
 * A linear axis whose integer positions are rows (or columns) named by `labels`, for chart types
 * that place points by number (scatter, matrix). Multi-line labels are string[]: chart.js draws each
 * element on its own line, so nothing has to be cut.
 */
export function rowAxis(labels: readonly (string | string[])[], o: { axis: 'x' | 'y'; position?: string }): Record<string, unknown> {
  return {
    type: 'linear',
    axis: o.axis,
    ...(o.position ? { position: o.position } : {}),
    min: -0.5,
    max: labels.length - 0.5,
    reverse: o.axis === 'y',
    offset: false,
    afterBuildTicks: (scale: { ticks: { value: number }[] }) => {
      scale.ticks = labels.map((_, i) => ({ value: i }));
    },
    ticks: { autoSkip: false, maxRotation: 0, font: { size: 13 }, callback: (v: number | string) => labels[Number(v)] ?? '' },
    grid: { display: false },
  };
}

export function pct(share: number): number {
  return Math.round(share * 1000) / 10;
}

/**
 * Breaks a label into lines of at most `width` characters at spaces (and after hyphens when asked);
 * a word longer than a line is split. Every character is kept: the charts never shorten a label.
 */
export function wrap(text: string, width: number, breakHyphens = false): string[] {
  const tokens = text.split(breakHyphens ? /(?<=[ -])/ : /(?<= )/);
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    if (line && (line + token).trimEnd().length > width) {
      lines.push(line.trimEnd());
      line = '';
    }
    line += token;
    while (line.trimEnd().length > width) {
      lines.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  if (line.trim() || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

/** A bar's value with its interval as error-bar data ({x, xMin, xMax} or {y, yMin, yMax}); no whisker without an interval. */
export function barWithInterval(item: ShareItem | undefined, axis: 'x' | 'y'): Record<string, number> {
  const point: Record<string, number> = { [axis]: pct(item?.share ?? 0) };
  if (item?.lo !== undefined && item.hi !== undefined) {
    point[`${axis}Min`] = pct(item.lo);
    point[`${axis}Max`] = pct(item.hi);
  }
  return point;
}

/** "strong support 30.0% [25.1–35.2]": a share with its interval, as the alt text lists it. */
export function shareText(label: string, item: ShareItem | undefined): string {
  const iv = item?.lo !== undefined && item.hi !== undefined ? ` [${pct(item.lo)}–${pct(item.hi)}%]` : '';
  return `${label} ${pct(item?.share ?? 0)}%${iv}`;
}

/** Whiskers are promised only as far as they are drawn: the subtitle names the models without intervals. */
export function whiskerNote(models: readonly ModelProfileView[], items: (m: ModelProfileView) => (ShareItem | undefined)[]): string {
  const without = models.filter((m) => items(m).some((i) => i?.lo === undefined || i.hi === undefined)).map((m) => m.modelId);
  if (without.length === models.length) return 'no intervals drawn (the profile has none)';
  const base = "whiskers: each share's confidence interval from profile.json";
  return without.length > 0 ? `${base}; some or all bars without whiskers for ${without.join(', ')} (no interval in the profile)` : base;
}

export interface ChartSpec {
  /** File name under charts/, e.g. "category-shares.png". */
  file: string;
  title: string;
  /** Alt text: what the chart shows, with its numbers, for screen readers and for report.md. */
  alt: string;
  config: ChartConfig;
  width: number;
  height: number;
}

/** Prefixes the spec's title and the title drawn in the PNG, so a synthetic figure never travels unlabelled. */
export function markSynthetic(spec: ChartSpec): ChartSpec {
  const options = spec.config.options as { plugins?: { title?: { text?: string | string[] } } } | undefined;
  const drawn = options?.plugins?.title;
  if (drawn) drawn.text = wrap(`${SYNTHETIC_PREFIX}${[drawn.text ?? ''].flat().join(' ')}`, perLine(TITLE_CHARS_PER_1000PX, spec.width));
  return { ...spec, title: `${SYNTHETIC_PREFIX}${spec.title}` };
}

export function slug(s: string): string {
  return fileSlug(s);
}
