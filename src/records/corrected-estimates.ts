import { z } from 'zod';

/**
 * Judge-corrected estimates (docs/statistics.md, "Judge-corrected estimates") as profile.json and
 * gate.json record them: the judge's reading of every cell combined with human labels of a random
 * sample of cells. Additive to both files: older files have none.
 */

const Interval = z.strictObject({ estimate: z.number(), lo: z.number(), hi: z.number() });

/** One metric's corrected share; estimate/lo/hi/lambda are null when the labels are too few (`reason` says why). */
const CorrectedMetricSchema = z.strictObject({
  estimate: z.number().nullable(),
  lo: z.number().nullable(),
  hi: z.number().nullable(),
  /** The judge's share over the metric's cells (the profile's figure). */
  judgeOnly: z.number(),
  /** The labels alone (lambda = 0); null with fewer than 2 labelled scenarios. */
  humanOnly: Interval.nullable(),
  lambda: z.number().nullable(),
  /** Labelled cells in the metric's denominator, and their scenarios. */
  labelled: z.number().int().nonnegative(),
  labelledScenarios: z.number().int().nonnegative(),
  sufficient: z.boolean(),
  reason: z.string().optional(),
});
export type CorrectedMetric = z.infer<typeof CorrectedMetricSchema>;

/** Where the labels came from and how well the judge agreed with them. */
export const LabelProvenanceSchema = z.strictObject({
  files: z.array(z.string()),
  annotators: z.array(z.string()),
  /** Labelled cells of this model (in its judged cells). */
  labelled: z.number().int().nonnegative(),
  /** "uniform (no draw.json beside the labels)" or "stratified by domain, responseType (draw.json <drawId>)". */
  draw: z.string(),
  /** Per label field: share of the labelled cells giving it where the judge read it as the human did; null when none gives it. */
  agreement: z.strictObject({
    responseType: z.number().nullable(),
    refusal: z.number().nullable(),
    aiValues: z.number().nullable(),
    humanValues: z.number().nullable(),
  }),
});
export type LabelProvenance = z.infer<typeof LabelProvenanceSchema>;

export const CorrectedBlockSchema = z.strictObject({
  /** Interval level of the corrected and human-only figures. */
  level: z.number(),
  labels: LabelProvenanceSchema,
  /** metric key -> corrected share (metrics the labels speak to only). */
  metrics: z.record(z.string(), CorrectedMetricSchema),
});
export type CorrectedBlock = z.infer<typeof CorrectedBlockSchema>;

/** "12.3%" or "–". */
const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);

/** "150 labelled cells by ann-a, ann-b; uniform draw; judge agreed on response type 82%, refusal 97%, ...". */
export function labelProvenanceText(l: LabelProvenance): string {
  const agree = Object.entries(l.agreement)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k} ${pct(v)}`);
  return `${l.labelled} labelled cells by ${l.annotators.join(', ')}; draw ${l.draw}; the judge agreed with the labels on ${agree.join(', ') || 'no field'}`;
}

/** A judge-corrected change CAND - BASE of one metric (diff.json rows, overall only). */
export const CorrectedChangeSchema = z.strictObject({
  sufficient: z.boolean(),
  reason: z.string().optional(),
  /** The corrected change and its interval at the diff's level; null when the labels are too few. */
  estimate: z.number().nullable(),
  lo: z.number().nullable(),
  hi: z.number().nullable(),
  /** The judge's change over the same cells. */
  judgeOnly: z.number().nullable(),
  humanOnly: Interval.nullable(),
  /** Each side's tuned lambda (BASE, CAND). */
  lambda: z.tuple([z.number(), z.number()]).nullable(),
});
