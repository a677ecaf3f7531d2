import { pointsText, pValueText } from '../../records/diff.js';
import type { HistoryChange, HistoryFile, HistoryRun, HistoryShare } from '../../records/history.js';
import { parseMetricKey } from '../../records/metric-key.js';
import { describeServedModels } from '../../records/profile.js';
import { metricName } from './diff-view.js';

/**
 * What history.md and history.html say, in words and numbers, defined once so both pages read alike:
 * shares in percent with one decimal and their interval, changes in points as diff.md writes them.
 */

/**
 * "strong support", "refusal rate (partial or full)", "category l3: Protective values": diff's words
 * for a metric (diff-view.ts), with the level or family of categories and values, since history's
 * table lists them without section headings.
 */
export function metricText(metric: string): string {
  const m = parseMetricKey(metric);
  if (m.family === 'category') return `category ${m.level}: ${m.name}`;
  if (m.family === 'value') return `value: ${m.name}`;
  return metricName(metric);
}

const pct1 = (x: number) => (Math.round(x * 1000) / 10).toFixed(1);

/** "41.2% [35.0, 47.5]"; "41.2%" without an interval; "n/a" without cells in the denominator. */
export function shareText(s: HistoryShare | undefined): string {
  if (!s || s.estimate === null) return 'n/a';
  const iv = s.lo !== null && s.hi !== null ? ` [${pct1(s.lo)}, ${pct1(s.hi)}]` : '';
  return `${pct1(s.estimate)}%${iv}`;
}

/** "+25.3 pts [18.1, 32.0], p <0.001, q <0.001": a change as diff.md writes it. */
export function changeText(c: HistoryChange): string {
  if (c.delta === null) return 'not comparable (no cells in the denominator)';
  const iv = c.lo !== null && c.hi !== null ? ` [${pointsText(c.lo)}, ${pointsText(c.hi)}]` : '';
  const p = c.p !== null ? `, p ${pValueText(c.p)}` : ', not tested (too rare)';
  const q = c.q !== null ? `, q ${pValueText(c.q)}` : '';
  return `${pointsText(c.delta)} pts${iv}${p}${q}`;
}

/** The marker of a flagged change in the table: up or down. */
export function flagMarker(c: HistoryChange | undefined): string {
  if (!c?.flagged || c.delta === null) return '';
  return c.delta > 0 ? '▲' : '▼';
}

/** "#2 run-id (2026-01-08)": a run as columns and lists name it. */
export function runLabel(run: HistoryRun, i: number): string {
  return `#${i + 1} ${run.runId} (${run.date.slice(0, 10)})`;
}

/** The change of `metric` into run `i` from run i - 1 (undefined for the first run). */
export function changeInto(h: HistoryFile, i: number, metric: string): HistoryChange | undefined {
  return i > 0 ? h.comparisons[i - 1]?.changes.find((c) => c.metric === metric) : undefined;
}

export function servedText(run: HistoryRun): string {
  return describeServedModels(run.served);
}

/** The one-paragraph summary both pages open with. */
export function summaryText(h: HistoryFile): string {
  const first = h.runs[0]!;
  const last = h.runs[h.runs.length - 1]!;
  const s = h.summary;
  const changes = `${s.flagged} of ${s.tested} tested changes between consecutive runs flagged (q < ${h.settings.alpha}, BH over all ${s.tested})`;
  const models =
    s.modelChanges > 0
      ? `; the served model changed ${s.modelChanges} time${s.modelChanges === 1 ? '' : 's'}`
      : '; the served model did not change';
  const fp =
    s.fingerprintChanges > 0 ? ` (its fingerprint changed ${s.fingerprintChanges} time${s.fingerprintChanges === 1 ? '' : 's'})` : '';
  return `${h.runs.length} runs of ${h.target} from ${first.date.slice(0, 10)} to ${last.date.slice(0, 10)}: ${changes}${models}${fp}.`;
}

/** How to read the numbers: levels, test, family. */
export function methodText(h: HistoryFile): string {
  const lvl = (x: number) => `${Math.round(x * 1000) / 10}%`;
  return (
    `Shares: each run's own estimate over all its scenarios with its ${lvl(h.settings.level)} cluster interval, as in profile.json. ` +
    `Changes: each run against the previous one, paired on the scenarios both share, as diff computes them (${lvl(h.settings.comparisonLevel)} interval, ${h.settings.test}); ` +
    `a change is flagged when q < ${h.settings.alpha} across all ${h.settings.family.size} tested changes; metrics with fewer than ${h.settings.minCount} cells in both runs are not tested.`
  );
}

export const SYNTHETIC_BANNER = 'SYNTHETIC: some runs hold synthetic answers (local test server or simulation), not a real model’s values.';

/** "40 scenarios · 118 cells judged, 2 errored": what a run's shares rest on. */
export function coverageText(run: HistoryRun): string {
  const errored = run.errored > 0 ? `, ${run.errored} errored` : '';
  return `${run.scenarios} scenarios · ${run.judged} cells judged${errored}`;
}
