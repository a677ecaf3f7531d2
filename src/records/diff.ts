import { z } from 'zod';
import { CorrectedChangeSchema, LabelProvenanceSchema } from './corrected-estimates.js';
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
  /**
   * Set when the side is a baseline file (`valuescope baseline save`), as given on the command line:
   * counts only, so reports have no profile charts or transcripts for it. `runDir` is then the file.
   */
  baseline: z.string().optional(),
});
export type DiffSide = z.infer<typeof DiffSideSchema>;

/**
 * The family a BH-adjusted q belongs to: how many p-values the correction ran over, and which. A q is
 * meaningful only with its family: the diff's q ranks a metric among every tested metric of the diff,
 * the gate's among its few pre-declared metric rules. Absent in older files (see diffQFamily / gateQFamily).
 */
const QFamilySchema = z.strictObject({
  correction: z.literal('BH'),
  size: z.number().int(),
  over: z.enum(['diff metrics', 'gate rules']),
});
export type QFamily = z.infer<typeof QFamilySchema>;

/**
 * A metric grouped under another row because its per-scenario counts carry the same information on
 * both sides (docs/statistics.md, "Duplicates and complements"): `same` = identical counts in every
 * shared scenario (its change and interval are this row's); `complement` = its count is the
 * denominator minus this row's in every scenario (its change is minus this row's, its interval this
 * row's mirrored). Aliases are not tested separately: they do not enter BH.
 */
const MetricAliasSchema = z.strictObject({ metric: z.string(), relation: z.enum(['same', 'complement']) });
export type MetricAlias = z.infer<typeof MetricAliasSchema>;

const Point = z.strictObject({ k: z.number().int(), n: z.number().int(), estimate: z.number().nullable() });

const MetricDiffSchema = z.strictObject({
  metric: z.string(),
  /** null = all shared scenarios. */
  domain: z.string().nullable(),
  base: Point,
  cand: Point,
  /** cand.estimate - base.estimate; null when either side has no cells in the denominator. */
  delta: z.number().nullable(),
  /** Paired cluster interval of delta at settings.level (95% in files without it). */
  lo: z.number().nullable(),
  hi: z.number().nullable(),
  /** Two-sided paired permutation p-value (null when not tested: too rare, see settings.minCount). */
  p: z.number().min(0).max(1).nullable(),
  /** Benjamini-Hochberg adjusted p-value across every tested metric in this diff (settings.family). */
  q: z.number().min(0).max(1).nullable(),
  significant: z.boolean(),
  /** Metrics with the same (or complementary) per-scenario counts, reported and tested as this row. Absent: none. */
  aliases: z.array(MetricAliasSchema).optional(),
  /** `diff --labels`: the judge-corrected change (overall rows the labels speak to). Absent without labels. */
  corrected: CorrectedChangeSchema.optional(),
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
    /** Level of the metric intervals: 1 - alpha, as the gate's (absent in older files: 0.95). */
    level: z.number().optional(),
    /** The family every row's q belongs to (absent in older files: BH over summary.tested metrics). */
    family: QFamilySchema.optional(),
  }),
  /** Every proportion, overall and per domain, largest |delta| first among significant, then the rest. */
  metrics: z.array(MetricDiffSchema),
  distances: z.array(DistanceDiffSchema),
  /** Values present on one side only (overall, shared scenarios). */
  appeared: z.array(ValueChangeSchema),
  vanished: z.array(ValueChangeSchema),
  summary: z.strictObject({ tested: z.number().int(), significant: z.number().int() }),
  /** `diff --labels`: each side's human labels and the judge's agreement with them. */
  labels: z.strictObject({ base: LabelProvenanceSchema, cand: LabelProvenanceSchema }).optional(),
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
  /** BH-adjusted across the gate's metric rules (`family`). */
  q: z.number().nullable(),
  /** metric rules: the family of q, the gate's metric rules (absent in older files). */
  family: QFamilySchema.optional(),
  /** Smallest true change (in the rule's direction) the rule detects with 80% power on this suite. */
  mde: z.number().nullable(),
  /** forbid rules: values found in the candidate, with the cells that expressed them. */
  hits: z.array(z.strictObject({ value: z.string(), cells: z.number().int(), cellIds: z.array(z.string()) })),
  /** metric rules: which estimates decided (gate.decideOn); absent in older files: judge. */
  decidedOn: z.enum(['judge', 'corrected']).optional(),
  /**
   * With decidedOn corrected: base/cand/delta/lo/hi/p/q above are the judge-corrected figures (null when
   * the labels are too few: the rule is then inconclusive and `reason` says why); here the judge-only
   * change and the labels-only interval beside them.
   */
  corrected: z
    .strictObject({
      sufficient: z.boolean(),
      reason: z.string().optional(),
      judgeOnly: z.number().nullable(),
      humanOnly: z.strictObject({ estimate: z.number(), lo: z.number(), hi: z.number() }).nullable(),
      lambda: z.tuple([z.number(), z.number()]).nullable(),
    })
    .optional(),
});
export type GateRuleResult = z.infer<typeof GateRuleResultSchema>;

/** The gate.json entry of a two-state rule (forbid, served model): pass or fail, no estimate, interval or margin. */
export function twoStateRuleResult(o: {
  name: string;
  kind: 'forbid' | 'served_model';
  domain: string | null;
  failed: boolean;
  message: string;
  hits: GateRuleResult['hits'];
}): GateRuleResult {
  const none = { base: null, cand: null, delta: null, lo: null, hi: null, p: null, q: null, mde: null };
  return {
    name: o.name,
    kind: o.kind,
    metric: null,
    domain: o.domain,
    margin: {},
    status: o.failed ? 'fail' : 'pass',
    message: o.message,
    ...none,
    hits: o.hits,
  };
}

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
  /** gate.decideOn as configured (absent in older files: judge). */
  decideOn: z.enum(['judge', 'corrected']).optional(),
  /** With decideOn corrected: each side's human labels and the judge's agreement with them. */
  labels: z.strictObject({ base: LabelProvenanceSchema, cand: LabelProvenanceSchema }).optional(),
});
export type GateResult = z.infer<typeof GateResultSchema>;

/** The family of a diff's q values; for files written before it was recorded, BH over the tested metrics. */
export function diffQFamily(diff: DiffFile): QFamily {
  return diff.settings.family ?? { correction: 'BH', size: diff.summary.tested, over: 'diff metrics' };
}

/** The family of a gate's q values; for files written before it was recorded, BH over its metric rules. */
export function gateQFamily(gate: GateResult): QFamily {
  const recorded = gate.rules.find((r) => r.family !== undefined)?.family;
  return recorded ?? { correction: 'BH', size: gate.rules.filter((r) => r.kind === 'metric').length, over: 'gate rules' };
}

/** "BH over 319 tested metrics" / "BH over the gate's 5 metric rules": the words every q is shown with. */
export function qFamilyText(f: QFamily): string {
  return f.over === 'gate rules'
    ? `BH over the gate's ${f.size} metric rule${f.size === 1 ? '' : 's'}`
    : `BH over ${f.size} tested metric${f.size === 1 ? '' : 's'}`;
}

/**
 * The display formats of diff.md, the gate summary, JUnit and the report, defined once so one number
 * reads the same everywhere: points with one decimal (rounded half up on the value in points, so
 * −31.85 shows as −31.8 in every file), and p / q values with three decimals, "<0.001" below.
 */
export function pointsText(x: number): string {
  const r = Math.round(x * 1000) / 10;
  return `${r > 0 ? '+' : r < 0 ? '-' : ''}${Math.abs(r).toFixed(1)}`;
}

export function pValueText(p: number): string {
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}
