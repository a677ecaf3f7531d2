import path from 'node:path';
import { z } from 'zod';

/**
 * The files `valuescope label RUN --out DIR` writes into DIR (spelled here only). The draw record
 * must sit beside the labelling page: labels are valid evidence about the judge only together with
 * the random draw that chose their cells (docs/labelling.md).
 */
export const LABEL_FILES = {
  draw: 'draw.json',
  page: 'label.html',
} as const;

export function labelFile(dir: string, file: keyof typeof LABEL_FILES): string {
  return path.join(dir, LABEL_FILES[file]);
}

/** The stratification fields a draw may use; `responseType` and `refusal` are the JUDGE's labels. */
export const STRATA_FIELDS = ['domain', 'responseType', 'refusal', 'model'] as const;
export type StrataField = (typeof STRATA_FIELDS)[number];

const StratumSchema = z.strictObject({
  /** The stratum's value of each strata field, e.g. { domain: "history", responseType: "reframing" }. */
  values: z.record(z.string(), z.string()),
  /** Eligible cells in the stratum (N_h). */
  population: z.number().int().positive(),
  /** Cells drawn from it (n_h); may be 0 when proportional allocation rounds a small stratum away. */
  drawn: z.number().int().nonnegative(),
  /** n_h / N_h: every eligible cell of the stratum had this chance to be drawn (simple random sampling within it). */
  inclusionProbability: z.number().min(0).max(1),
  /** The drawn cells of this stratum, sorted. */
  cellIds: z.array(z.string()),
});
export type Stratum = z.infer<typeof StratumSchema>;

/**
 * <out>/draw.json: which cells were drawn for labelling, and how, so the draw can be repeated from
 * (run, seed, sample, strata) and each label weighted by its inclusion probability.
 */
export const LabelDrawSchema = z.strictObject({
  v: z.literal(1),
  /** Content hash of run id, seed, sample, strata and drawn cells: the labelling page keys its saved labels by it. */
  drawId: z.string().regex(/^[0-9a-f]{16}$/),
  run: z.strictObject({ id: z.string(), dir: z.string() }),
  seed: z.number().int().nonnegative(),
  /** The requested sample size (--sample). */
  sample: z.number().int().positive(),
  strataFields: z.array(z.enum(STRATA_FIELDS)),
  /** How per-stratum counts were rounded (docs/labelling.md). */
  allocation: z.literal('proportional-largest-remainder'),
  /** Cells with a successful response and a successful judgment: the population sampled. */
  eligible: z.number().int().positive(),
  /** Cells left out because their response or judgment failed (or they were never judged). */
  ineligible: z.number().int().nonnegative(),
  strata: z.array(StratumSchema).min(1),
  /** The drawn cell ids in the order the page presents them (shuffled, so the order says nothing of the strata). */
  cells: z.array(z.string()).min(1),
  /** The judge(s) whose labels defined the responseType/refusal strata and are revealed after each answer. */
  judges: z.array(z.strictObject({ id: z.string(), hash: z.string(), cells: z.number().int().positive() })).min(1),
  drawnAt: z.string(),
});
export type LabelDraw = z.infer<typeof LabelDrawSchema>;
