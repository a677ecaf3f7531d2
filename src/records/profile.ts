import { z } from 'zod';
import { CorrectedBlockSchema } from './corrected-estimates.js';

/**
 * profile.json: the value profile of one run (one entry per model). Contract shared with the report
 * module; changes must be additive.
 *
 * Every proportion lives in a flat `metrics` record keyed by metric name (the same names the gate
 * uses); the keys are defined in records/metric-key.ts.
 */

/** The profile's interval method (stats/cluster-interval.ts), as profile.json names it. */
export const PROFILE_INTERVAL_METHOD = 'cluster-wilson-t (linearised ratio; domains of fewer than 5 scenarios pooled)';

/** k of n cells, with its interval (docs/statistics.md). estimate/lo/hi are null when n = 0. */
const ProportionSchema = z.strictObject({
  k: z.number().int().nonnegative(),
  n: z.number().int().nonnegative(),
  estimate: z.number().min(0).max(1).nullable(),
  lo: z.number().min(0).max(1).nullable(),
  hi: z.number().min(0).max(1).nullable(),
});
export type Proportion = z.infer<typeof ProportionSchema>;

const ProfileSectionSchema = z.strictObject({
  /** Scenarios with at least one cell (judged or errored). */
  scenarios: z.number().int().nonnegative(),
  cells: z.number().int().nonnegative(),
  judged: z.number().int().nonnegative(),
  /** Cells whose transcript or judgment failed: counted here, excluded from every denominator. */
  errored: z.number().int().nonnegative(),
  errorKinds: z.record(z.string(), z.number().int().nonnegative()),
  /** Denominator sizes (cells) by kind. */
  denominators: z.strictObject({ judged: z.number().int(), expect: z.number().int(), user_values: z.number().int() }),
  /** Mean number of distinct AI values per judged cell. */
  meanValuesPerCell: z.number().nullable(),
  metrics: z.record(z.string(), ProportionSchema),
  /** Most frequent values, most frequent first (names as in the `value:` metrics). */
  topValues: z.array(z.strictObject({ name: z.string(), share: ProportionSchema })),
});
export type ProfileSection = z.infer<typeof ProfileSectionSchema>;

/** One cell of a domain x value (or category) table whose adjusted residual is significant after Bonferroni. */
const ContextCellSchema = z.strictObject({
  domain: z.string(),
  /** 'value' or the taxonomy level. */
  kind: z.enum(['value', 'l1', 'l2', 'l3']),
  name: z.string(),
  observed: z.number().int(),
  expected: z.number(),
  /** Adjusted (standardised) Pearson residual; positive = over-represented in this domain. */
  residual: z.number(),
  /** Bonferroni-corrected two-sided p-value of the residual. */
  pAdjusted: z.number().min(0).max(1),
});
export type ContextCell = z.infer<typeof ContextCellSchema>;

const ContextDependenceSchema = z.strictObject({
  alpha: z.number(),
  /** Number of residuals tested per table kind (the Bonferroni family size). */
  tests: z.record(z.string(), z.number().int()),
  /** |residual| a cell needed to be significant, per table kind. */
  thresholds: z.record(z.string(), z.number()),
  /** Chi-square test of independence of domain and feature, per table kind. */
  chiSquare: z.record(z.string(), z.strictObject({ statistic: z.number(), df: z.number().int(), p: z.number() })),
  /** Significant cells, over-represented ones first, largest residual first. */
  cells: z.array(ContextCellSchema),
});
export type ContextDependence = z.infer<typeof ContextDependenceSchema>;

const WatchHitSchema = z.strictObject({
  /** Watch-list entry (normalised). */
  value: z.string(),
  cells: z.number().int().positive(),
  /** Cells whose judgment expressed it (capped at 100; `cells` is the full count). */
  cellIds: z.array(z.string()),
  scenarioIds: z.array(z.string()),
  domains: z.array(z.string()),
});
export type WatchHit = z.infer<typeof WatchHitSchema>;

/**
 * Where a model's answers came from. `cached`: cells (counted once each) whose answer was not
 * requested for this run: the response cache (`cache: development`) or an earlier run
 * (`run --reuse-from`). Such cells are copies, not an independent sample of the model.
 */
export const AnswerProvenanceSchema = z.strictObject({
  cells: z.number().int().nonnegative(),
  cached: z.number().int().nonnegative(),
  /** cached / cells; null when there are no cells. */
  cachedShare: z.number().min(0).max(1).nullable(),
  /** Run id that produced the answers -> cached cells taken from it. Cached cells of unknown origin are not listed. */
  cachedFrom: z.record(z.string(), z.number().int().positive()),
});
export type AnswerProvenance = z.infer<typeof AnswerProvenanceSchema>;

/** "12 of 24 answers (50.0%) were reused, not requested for this run (from run r1: 10 cells; unknown run: 2 cells)". */
export function describeCachedAnswers(a: AnswerProvenance): string {
  const known = Object.values(a.cachedFrom).reduce((x, y) => x + y, 0);
  const sources = [
    ...Object.entries(a.cachedFrom).map(([run, n]) => `run ${run}: ${n} cells`),
    ...(a.cached > known ? [`unknown run: ${a.cached - known} cells`] : []),
  ];
  const share = a.cachedShare === null ? '–' : `${(a.cachedShare * 100).toFixed(1)}%`;
  return `${a.cached} of ${a.cells} answers (${share}) were reused, not requested for this run (response cache or run --reuse-from; from ${sources.join(', ')})`;
}

/** One model that answered: the API's `model`, OpenAI's `system_fingerprint` when sent, and the cells it answered. */
const ServedIdentitySchema = z.strictObject({
  model: z.string(),
  fingerprint: z.string().optional(),
  cells: z.number().int().positive(),
});
export type ServedIdentity = z.infer<typeof ServedIdentitySchema>;

/**
 * Which models actually answered a configured model's cells, as the API reported them (cells counted
 * once each, by their effective judgment). More than one identity means the run mixes models or
 * backend configurations behind one name.
 */
const ServedModelsSchema = z.strictObject({
  /** The model name the config sent on the wire (from manifest.json); null without a manifest. */
  configured: z.string().nullable(),
  /** Most cells first. */
  identities: z.array(ServedIdentitySchema),
  /** Answered cells whose transcript records no served identity (older runs, imports, servers that send none). */
  unrecorded: z.number().int().nonnegative(),
});
export type ServedModels = z.infer<typeof ServedModelsSchema>;

/** "gpt-5-2025-08-07 (fingerprint fp_0a1b2c3d4e)" or "claude-sonnet-4-5-20250929". */
export function servedLabel(s: { model: string; fingerprint?: string | undefined }): string {
  return s.fingerprint !== undefined ? `${s.model} (fingerprint ${s.fingerprint})` : s.model;
}

/** "gpt-5-2025-08-07 (fingerprint fp_a): 10 cells, gpt-5-2025-09-01 (fingerprint fp_b): 2 cells; 3 cells unrecorded". */
export function describeServedModels(s: Pick<ServedModels, 'identities' | 'unrecorded'>): string {
  const ids = s.identities.map((i) => `${servedLabel(i)}: ${i.cells} cells`);
  const unrecorded = s.unrecorded > 0 ? [`${s.unrecorded} cells without a recorded served model`] : [];
  return [...ids, ...unrecorded].join(', ') || 'no answered cells';
}

const ModelProfileSchema = z.strictObject({
  modelId: z.string(),
  judgeIds: z.array(z.string()),
  judgeHashes: z.array(z.string()),
  judgeModels: z.array(z.string()),
  /** Absent in profiles written before answers recorded their provenance. */
  answers: AnswerProvenanceSchema.optional(),
  /** Which models the API said answered. Absent in profiles written before it was recorded. */
  served: ServedModelsSchema.optional(),
  overall: ProfileSectionSchema,
  domains: z.record(z.string(), ProfileSectionSchema),
  contextDependence: ContextDependenceSchema,
  watchlist: z.strictObject({ list: z.array(z.string()), hits: z.array(WatchHitSchema) }),
  /** Judge-corrected shares from human labels (`profile --labels`); absent without labels. */
  corrected: CorrectedBlockSchema.optional(),
});
export type ModelProfile = z.infer<typeof ModelProfileSchema>;

export const ProfileFileSchema = z.strictObject({
  v: z.literal(1),
  kind: z.literal('profile'),
  generatedAt: z.string(),
  harnessVersion: z.string(),
  runDir: z.string(),
  runId: z.string().nullable(),
  suiteHash: z.string().nullable(),
  settings: z.strictObject({
    resamples: z.number().int(),
    seed: z.number().int(),
    level: z.number(),
    /** How intervals were computed (the bootstrap label is read from files written before 2026-12-05). */
    interval: z.enum([PROFILE_INTERVAL_METHOD, 'cluster-bootstrap-percentile (scenarios resampled within domain)']),
  }),
  models: z.array(ModelProfileSchema),
  /** Plain-language notes: torn lines dropped, errors counted, etc. */
  notes: z.array(z.string()),
});
export type ProfileFile = z.infer<typeof ProfileFileSchema>;
