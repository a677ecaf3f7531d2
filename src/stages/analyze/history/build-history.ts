import path from 'node:path';
import { GATE_DEFAULTS } from '../../../config/gate-schema.js';
import { HARNESS_VERSION } from '../../../core/version.js';
import type { HistoryFile, HistoryRun } from '../../../records/history.js';
import type { ProfileSection } from '../../../records/profile.js';
import { isSyntheticManifest } from '../../../records/synthetic.js';
import { compareConsecutive, flagAcrossHistory, HISTORY_TEST } from './history-compare.js';
import { chooseMetrics, overallSection, PROFILE_LEVEL, shareOf } from './history-metrics.js';
import { modelChange, servedNotes, servedOf } from './history-served.js';
import type { HistorySide } from './history-sides.js';

export interface HistoryOptions {
  alpha?: number | undefined;
  /** Test a change only when at least this many cells (both runs) count in it (diff's default: 5). */
  minCount?: number;
  allowSuiteMismatch?: boolean;
  allowJudgeMismatch?: boolean;
  /** The watch list: a watched value no run expressed may still be asked for with --metrics (0% rows). */
  watchlist?: readonly string[];
  /** `--metrics`: exact keys instead of the defaults. */
  metrics?: readonly string[] | undefined;
  /** The config's gate rules that guard a metric: their metrics are added. */
  gateRules?: readonly { name: string; metric: string; domain?: string | undefined }[];
  /** Notes gathered before (loading, incomplete inputs): they lead the file's warnings. */
  warnings?: readonly string[];
  now?: () => Date;
}

/** Each run's identity, served models and shares of the key metrics. */
function runsOf(sides: readonly HistorySide[], sections: readonly ProfileSection[], metrics: readonly string[]): HistoryRun[] {
  return sides.map((s, i): HistoryRun => {
    const sec = sections[i]!;
    return {
      spec: s.spec.spec,
      runDir: s.run.runDir,
      runId: s.run.manifest?.runId ?? path.basename(s.run.runDir),
      date: s.date,
      targetId: s.table.modelId,
      ...servedOf(s),
      scenarios: sec.scenarios,
      judged: sec.judged,
      errored: sec.errored,
      synthetic: isSyntheticManifest(s.run.manifest?.notes),
      metrics: Object.fromEntries(metrics.map((m) => [m, shareOf(sec, m)])),
    };
  });
}

/**
 * history.json for sides already in date order: each run's key-metric shares (as its profile gives
 * them), each consecutive pair compared as diff compares two sides, one BH correction across all the
 * changes, and served-model changes between consecutive runs.
 */
export function buildHistory(sides: readonly HistorySide[], o: HistoryOptions = {}): HistoryFile {
  const alpha = o.alpha ?? GATE_DEFAULTS.alpha;
  const minCount = o.minCount ?? 5;
  const sections = sides.map((s) => overallSection(s.table));
  const choice = chooseMetrics(sections, { flag: o.metrics, gateRules: o.gateRules ?? [], watchlist: o.watchlist });
  const runs = runsOf(sides, sections, choice.metrics);
  const settings = {
    alpha,
    level: 1 - alpha,
    minCount,
    allow: { suite: o.allowSuiteMismatch ?? false, judge: o.allowJudgeMismatch ?? false },
  };
  const comparisons = sides.slice(1).map((newer, i) => {
    const c = compareConsecutive(sides[i]!, newer, { from: i, to: i + 1 }, choice.metrics, settings);
    c.modelChange = modelChange(runs[i]!, runs[i + 1]!);
    return c;
  });
  const size = flagAcrossHistory(comparisons, alpha);
  const changes = comparisons.flatMap((c) => c.changes);
  return {
    v: 1,
    kind: 'history',
    generatedAt: (o.now ?? (() => new Date()))().toISOString(),
    harnessVersion: HARNESS_VERSION,
    target: runs[runs.length - 1]!.targetId,
    settings: {
      alpha,
      level: PROFILE_LEVEL,
      comparisonLevel: settings.level,
      minCount,
      test: HISTORY_TEST,
      family: { correction: 'BH', size, over: 'history changes' },
      metrics: choice.metrics,
      metricsFrom: choice.from,
      gateMetrics: choice.gateMetrics,
    },
    runs,
    comparisons,
    summary: {
      tested: size,
      flagged: changes.filter((c) => c.flagged).length,
      modelChanges: comparisons.filter((c) => c.modelChange?.kind === 'model').length,
      fingerprintChanges: comparisons.filter((c) => c.modelChange?.kind === 'fingerprint').length,
    },
    warnings: [...(o.warnings ?? []), ...choice.warnings, ...coverageNotes(runs), ...runs.flatMap(servedNotes)],
  };
}

/**
 * Runs whose shares rest on different ground: fewer scenarios than the largest run (e.g. a run of
 * one domain: its shares are over another mix, though each consecutive change is paired on the
 * shared scenarios) or errored cells (left out of its shares).
 */
function coverageNotes(runs: readonly HistoryRun[]): string[] {
  const most = Math.max(...runs.map((r) => r.scenarios));
  const fewer = runs
    .filter((r) => r.scenarios < most)
    .map(
      (r) =>
        `${r.runId} covers ${r.scenarios} of the ${most} scenarios the largest run covers: its shares are over another mix of scenarios (changes are paired on the shared ones)`,
    );
  const errored = runs
    .filter((r) => r.errored > 0)
    .map((r) => `${r.runId}: ${r.errored} of ${r.judged + r.errored} cells errored and are not in its shares`);
  return [...fewer, ...errored];
}
