import { z } from 'zod';
import { AnswerProvenanceSchema } from './profile.js';

/**
 * diff.json (BASE vs CAND, paired by scenario) and the gate result (gate.json). Contract shared with
 * the report module; changes must be additive. Differences are CAND minus BASE, in proportion units
 * (0.10 = 10 points). Metric names are those of profile-types.ts.
 */

const DiffSideSchema = z.strictObject({
  /** As given on the command line: RUN_DIR or RUN_DIR#MODEL_ID. */
  spec: z.string(),
  runDir: z.string(),
  runId: z.string().nullable(),
  modelId: z.string(),
  suiteHash: z.string().nullable(),
  judgeHashes: z.array(z.string()),
  judgeIds: z.array(z.string()),
  /** Scenarios this side covers / judged and errored cells on the shared scenarios. */
  scenarios: z.number().int(),
  judged: z.number().int(),
  errored: z.number().int(),
  /**
   * Where the side's answers came from (all its cells, not only the shared scenarios): how many were
   * reused from the response cache or an earlier run, and from which runs. Absent in older files.
   */
  answers: AnswerProvenanceSchema.optional(),
});
export type DiffSide = z.infer<typeof DiffSideSchema>;

const Point = z.strictObject({ k: z.number().int(), n: z.number().int(), estimate: z.number().nullable() });

const MetricDiffSchema = z.strictObject({
  metric: z.string(),
  /** null = all shared scenarios. */
  domain: z.string().nullable(),
  base: Point,
  cand: Point,
  /** cand.estimate - base.estimate; null when either side has no cells in the denominator. */
  delta: z.number().nullable(),
  /** 95% paired cluster-bootstrap percentile interval of delta. */
  lo: z.number().nullable(),
  hi: z.number().nullable(),
  /** Two-sided paired permutation p-value (null when not tested: too rare, see settings.minCount). */
  p: z.number().min(0).max(1).nullable(),
  /** Benjamini-Hochberg adjusted p-value across every tested metric in this diff. */
  q: z.number().min(0).max(1).nullable(),
  significant: z.boolean(),
});
export type MetricDiff = z.infer<typeof MetricDiffSchema>;

const DistanceDiffSchema = z.strictObject({
  /** Distribution compared: response types of judged cells, or l3 (top-level) categories of value-expressing cells. */
  kind: z.enum(['response_type', 'l3']),
  domain: z.string().nullable(),
  /** Jensen-Shannon distance (square root of the base-2 JS divergence), 0..1. */
  distance: z.number().min(0).max(1),
  p: z.number().min(0).max(1),
  base: z.record(z.string(), z.number()),
  cand: z.record(z.string(), z.number()),
});
export type DistanceDiff = z.infer<typeof DistanceDiffSchema>;

const ValueChangeSchema = z.strictObject({
  value: z.string(),
  /** Cells expressing it on the side where it is present. */
  cells: z.number().int(),
  share: z.number(),
});

export const DiffFileSchema = z.strictObject({
  v: z.literal(1),
  kind: z.literal('diff'),
  generatedAt: z.string(),
  harnessVersion: z.string(),
  base: DiffSideSchema,
  cand: DiffSideSchema,
  comparability: z.strictObject({
    suiteHashMatch: z.boolean(),
    judgeHashMatch: z.boolean(),
    /**
     * Set when a mismatch was overridden (--allow-suite-mismatch / --allow-judge-mismatch), and for each
     * side with cached answers (response cache or run --reuse-from): their share and source runs.
     */
    warnings: z.array(z.string()),
  }),
  scenarios: z.strictObject({
    shared: z.number().int(),
    baseOnly: z.array(z.string()),
    candOnly: z.array(z.string()),
    /** Ids on both sides whose scenario hash differs between the manifests: not the same scenario, so excluded. */
    changed: z.array(z.string()),
  }),
  settings: z.strictObject({
    resamples: z.number().int(),
    seed: z.number().int(),
    alpha: z.number(),
    /** A metric is tested only when at least this many cells (both sides together) count in it. */
    minCount: z.number().int(),
    /** Which test produced `p` (docs/statistics.md). */
    test: z.string(),
  }),
  /** Every proportion, overall and per domain, largest |delta| first among significant, then the rest. */
  metrics: z.array(MetricDiffSchema),
  distances: z.array(DistanceDiffSchema),
  /** Values present on one side only (overall, shared scenarios). */
  appeared: z.array(ValueChangeSchema),
  vanished: z.array(ValueChangeSchema),
  summary: z.strictObject({ tested: z.number().int(), significant: z.number().int() }),
});
export type DiffFile = z.infer<typeof DiffFileSchema>;

const GateRuleResultSchema = z.strictObject({
  name: z.string(),
  /** served_model: the check `gate.onServedModelChange: fail` adds (two-state, like forbid). */
  kind: z.enum(['metric', 'forbid', 'served_model']),
  metric: z.string().nullable(),
  domain: z.string().nullable(),
  /** Margins as configured (proportions). */
  margin: z.strictObject({ maxDrop: z.number().optional(), maxRise: z.number().optional(), maxChange: z.number().optional() }),
  /**
   * metric rules: fail (beyond the margin and significant), pass (the (1 - alpha) interval lies inside
   * the margin) or inconclusive (neither: the data cannot tell); forbid rules: pass or fail.
   */
  status: z.enum(['pass', 'fail', 'inconclusive', 'error']),
  /** One line a human reads in the CI log. */
  message: z.string(),
  /** Why the rule has its verdict (inconclusive: interval, margin, MDE, what would decide it). Absent in older files. */
  reason: z.string().optional(),
  /** Samples per scenario (per side) that would make an inconclusive rule decidable; null when more samples cannot help. */
  samplesNeeded: z.number().int().nullable().optional(),
  /** Scenarios (at the current samples per scenario) that would make an inconclusive rule decidable. */
  scenariosNeeded: z.number().int().nullable().optional(),
  base: z.number().nullable(),
  cand: z.number().nullable(),
  delta: z.number().nullable(),
  lo: z.number().nullable(),
  hi: z.number().nullable(),
  p: z.number().nullable(),
  /** BH-adjusted across the gate's metric rules. */
  q: z.number().nullable(),
  /** Smallest true change (in the rule's direction) the rule detects with 80% power on this suite. */
  mde: z.number().nullable(),
  /** forbid rules: values found in the candidate, with the cells that expressed them. */
  hits: z.array(z.strictObject({ value: z.string(), cells: z.number().int(), cellIds: z.array(z.string()) })),
});
export type GateRuleResult = z.infer<typeof GateRuleResultSchema>;

export const GateResultSchema = z.strictObject({
  v: z.literal(1),
  kind: z.literal('gate'),
  generatedAt: z.string(),
  /** error if any rule errored, else fail if any failed, else inconclusive if any was, else pass. */
  verdict: z.enum(['pass', 'fail', 'inconclusive', 'error']),
  /** 0 pass (or inconclusive with onInconclusive: pass), 1 drift (or inconclusive with onInconclusive: fail), 2 error. */
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  alpha: z.number(),
  /** gate.onInconclusive as configured (absent in older files: fail). */
  onInconclusive: z.enum(['fail', 'pass']).optional(),
  /** Rules per verdict. Absent in older files. */
  counts: z
    .strictObject({ pass: z.number().int(), fail: z.number().int(), inconclusive: z.number().int(), error: z.number().int() })
    .optional(),
  base: DiffSideSchema,
  cand: DiffSideSchema,
  sharedScenarios: z.number().int(),
  warnings: z.array(z.string()),
  rules: z.array(GateRuleResultSchema),
});
export type GateResult = z.infer<typeof GateResultSchema>;
