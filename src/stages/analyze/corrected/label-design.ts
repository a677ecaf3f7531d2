import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../../core/errors.js';
import type { AnalysisJudgment } from '../../../records/analysis-judgment.js';
import { type LabelDraw, LabelDrawSchema, labelFile, type StrataField } from '../../../records/label-draw.js';

/** How the labelled cells were drawn: one uniform draw, or draw.json's strata (each cell's stratum ordinal). */
export interface LabelDesign {
  /** "uniform (no draw.json beside the labels: assumed)" or "stratified by domain, responseType (draw.json 0123abcd...)". */
  text: string;
  stratumOf: ((j: AnalysisJudgment) => number) | null;
}

const fieldOf = (j: AnalysisJudgment, f: StrataField): string | null =>
  f === 'domain' ? j.domain : f === 'model' ? j.modelId : f === 'responseType' ? j.responseType : j.refusal;

async function readDraw(file: string): Promise<LabelDraw> {
  let raw: unknown;
  try {
    raw = JSON.parse(await fsp.readFile(file, 'utf8'));
  } catch (e) {
    throw new InputError(`not valid JSON (${(e as Error).message})`, { file });
  }
  const r = LabelDrawSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(issue?.message ?? 'invalid draw record', { file, path: issue?.path.join('.') ?? '' });
  }
  return r.data;
}

/**
 * The draw the labels came from: the draw.json `valuescope label` wrote beside them (docs/labelling.md),
 * whose strata weight each label (a stratum's labels stand for its cells); without one, the labels are
 * taken as one uniform random draw, and the output says so. Label files from two different draws are refused.
 */
export async function labelDesign(files: readonly string[]): Promise<LabelDesign> {
  const draws = [...new Set(files.map((f) => labelFile(path.dirname(f), 'draw')))].filter((f) => existsSync(f));
  if (draws.length === 0) return { text: 'uniform (no draw.json beside the labels: assumed a simple random draw)', stratumOf: null };
  const read = await Promise.all(draws.map(readDraw));
  const first = read[0]!;
  const other = read.findIndex((d) => d.drawId !== first.drawId);
  if (other !== -1)
    throw new InputError(`draw ${read[other]!.drawId} differs from ${first.drawId} (${draws[0]}): pass labels of one draw`, {
      file: draws[other]!,
    });
  const fields = first.strataFields;
  if (fields.length === 0) return { text: `uniform (draw.json ${first.drawId})`, stratumOf: null };
  const index = new Map(first.strata.map((s, h) => [JSON.stringify(fields.map((f) => s.values[f] ?? null)), h]));
  return {
    text: `stratified by ${fields.join(', ')} (draw.json ${first.drawId}, ${first.strata.length} strata)`,
    // A cell outside every stratum was not in the population drawn from: its own stratum, with no labels.
    stratumOf: (j) => index.get(JSON.stringify(fields.map((f) => fieldOf(j, f)))) ?? -1,
  };
}
