import { z } from 'zod';

/**
 * history.json: how the key metrics of one target moved over several runs (or baseline files), in
 * date order (manifest startedAt). Each run's shares are computed as profile.json computes them; each
 * consecutive pair is compared as diff.json compares two sides (paired by scenario, same interval and
 * test), with one Benjamini-Hochberg correction across every pair x metric (settings.family). The
 * report's history pages read this file only. Changes must be additive.
 */

const ShareSchema = z.strictObject({
  /** Cells counting in the metric / cells in its denominator (all scenarios of the run). */
  k: z.number().int().nonnegative(),
  n: z.number().int().nonnegative(),
  estimate: z.number().nullable(),
  /** The profile's cluster interval at settings.level; null with too few scenarios or an uncounted metric. */
  lo: z.number().nullable(),
  hi: z.number().nullable(),
});
export type HistoryShare = z.infer<typeof ShareSchema>;

const ServedIdentitySchema = z.strictObject({
  model: z.string(),
  fingerprint: z.string().optional(),
  cells: z.number().int().positive(),
});

const HistoryRunSchema = z.strictObject({
  /** As given on the command line: RUN_DIR, RUN_DIR#TARGET or a baseline file. */
  spec: z.string(),
  runDir: z.string(),
  runId: z.string(),
  /** manifest.startedAt, the order of the history. */
  date: z.string(),
  targetId: z.string(),
  /** The model name the target sent on the wire (manifest), null when the manifest does not list it. */
  configuredModel: z.string().nullable(),
  /** Which models the API reported as answering (most cells first); cells without a recorded model are `unrecorded`. */
  served: z.strictObject({ identities: z.array(ServedIdentitySchema), unrecorded: z.number().int().nonnegative() }),
  /** The served model id answering most cells (fingerprints summed); null when none was recorded. */
  dominantModel: z.string().nullable(),
  scenarios: z.number().int().nonnegative(),
  judged: z.number().int().nonnegative(),
  errored: z.number().int().nonnegative(),
  /** Answers marked synthetic (local test server, simulation): not a real model's values. */
  synthetic: z.boolean(),
  /** Metric key -> share, for every key of settings.metrics. */
  metrics: z.record(z.string(), ShareSchema),
});
export type HistoryRun = z.infer<typeof HistoryRunSchema>;

const Point = z.strictObject({ k: z.number().int(), n: z.number().int(), estimate: z.number().nullable() });

const HistoryChangeSchema = z.strictObject({
  metric: z.string(),
  /** Over the scenarios both runs share (unchanged scenario hash), as diff.json's overall row. */
  from: Point,
  to: Point,
  /** to - from, in proportion units (0.10 = 10 points); null when either side has no cells in the denominator. */
  delta: z.number().nullable(),
  /** Paired cluster interval of delta at settings.comparisonLevel. */
  lo: z.number().nullable(),
  hi: z.number().nullable(),
  /** Within-scenario permutation test (normal approximation), as diff's; null when too rare (settings.minCount). */
  p: z.number().min(0).max(1).nullable(),
  /** BH-adjusted across the whole family (every pair x metric tested). */
  q: z.number().min(0).max(1).nullable(),
  flagged: z.boolean(),
});
export type HistoryChange = z.infer<typeof HistoryChangeSchema>;

const ModelChangeSchema = z.strictObject({
  /** `model`: the dominant served model id differs; `fingerprint`: same id, different dominant fingerprint (softer). */
  kind: z.enum(['model', 'fingerprint']),
  from: z.string(),
  to: z.string(),
  message: z.string(),
});
export type ModelChange = z.infer<typeof ModelChangeSchema>;

const ComparisonSchema = z.strictObject({
  /** Indices into runs (consecutive: to = from + 1). */
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  sharedScenarios: z.number().int().nonnegative(),
  changes: z.array(HistoryChangeSchema),
  modelChange: ModelChangeSchema.nullable(),
  /** Comparability notes of this pair (allowed mismatches, excluded scenarios, served-model mixes, cached answers). */
  warnings: z.array(z.string()),
});
export type HistoryComparison = z.infer<typeof ComparisonSchema>;

export const HistoryFileSchema = z.strictObject({
  v: z.literal(1),
  kind: z.literal('history'),
  generatedAt: z.string(),
  harnessVersion: z.string(),
  /** The target followed: the newest run's target id (earlier runs may name it differently, see runs[].targetId). */
  target: z.string(),
  settings: z.strictObject({
    alpha: z.number(),
    /** Level of each run's share intervals (the profile's). */
    level: z.number(),
    /** Level of each change's interval: 1 - alpha, as diff's and the gate's. */
    comparisonLevel: z.number(),
    minCount: z.number().int(),
    test: z.string(),
    family: z.strictObject({ correction: z.literal('BH'), size: z.number().int(), over: z.literal('history changes') }),
    /** The key metrics, in display order, and where the list came from. */
    metrics: z.array(z.string()),
    metricsFrom: z.enum(['default', 'flag']),
    /** Metrics added from the config's gate rules. */
    gateMetrics: z.array(z.string()),
  }),
  runs: z.array(HistoryRunSchema),
  comparisons: z.array(ComparisonSchema),
  summary: z.strictObject({
    tested: z.number().int(),
    flagged: z.number().int(),
    modelChanges: z.number().int(),
    fingerprintChanges: z.number().int(),
  }),
  /** History-wide notes: incomplete inputs, runs mixing served models, renamed targets, omitted metrics. */
  warnings: z.array(z.string()),
});
export type HistoryFile = z.infer<typeof HistoryFileSchema>;

/** Whether the history found drift: a flagged metric change or a served model id change (`--fail-on-drift`). */
export function historyDrifted(h: HistoryFile): boolean {
  return h.summary.flagged > 0 || h.summary.modelChanges > 0;
}
