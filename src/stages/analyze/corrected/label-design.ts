import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../../core/errors.js';
import type { AnalysisJudgment } from '../../../records/analysis-judgment.js';
import type { HumanLabel, HumanLabelSet } from '../../../records/human-labels.js';
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
 * How each run's labels were drawn: from the draw.json `valuescope label` wrote beside their files
 * (docs/labelling.md; its strata weight each label), or, with no draw.json beside any of them, one
 * uniform random draw (the output says so). A draw is checked against the run before it weighs
 * anything: it must be this run's, every labelled cell must be one it drew (labels of hand-picked
 * cells are no random draw), the run must not have been judged again since (strata by the judge's
 * labels would have moved), and one run's labels come from one draw or none.
 */
export async function runDesigns(
  byRun: ReadonlyMap<string, HumanLabelSet>,
  runs: readonly { runDir: string; runId: string | null; judgeHashes: ReadonlySet<string> }[],
): Promise<Map<string, LabelDesign>> {
  const cache = new Map<string, Promise<LabelDraw | null>>();
  const drawBeside = (file: string): Promise<LabelDraw | null> => {
    const f = labelFile(path.dirname(file), 'draw');
    if (!cache.has(f)) cache.set(f, existsSync(f) ? readDraw(f) : Promise.resolve(null));
    return cache.get(f)!;
  };
  const out = new Map<string, LabelDesign>();
  for (const run of runs) {
    const labels = [...(byRun.get(run.runDir)?.labels.values() ?? [])];
    const files = [...new Set(labels.flatMap((l) => l.by.map((b) => b.file)))];
    const draws = await Promise.all(files.map(drawBeside));
    const drawn = draws.filter((d): d is LabelDraw => d !== null);
    if (drawn.length === 0) {
      out.set(run.runDir, UNIFORM);
      continue;
    }
    const none = draws.indexOf(null);
    if (none !== -1)
      throw new InputError(
        `labels of ${run.runDir} come from a drawn sample (${drawn[0]!.drawId}) and from this file, which has no draw.json beside it: keep all of a run's label files beside its draw.json`,
        { file: files[none]! },
      );
    const other = drawn.findIndex((d) => d.drawId !== drawn[0]!.drawId);
    if (other !== -1)
      throw new InputError(`draw ${drawn[other]!.drawId} differs from ${drawn[0]!.drawId}: pass one draw's labels per run`, {
        file: files[other]!,
      });
    out.set(run.runDir, checkedDesign(drawn[0]!, labelFile(path.dirname(files[0]!), 'draw'), run, labels));
  }
  return out;
}

const UNIFORM: LabelDesign = { text: 'uniform (no draw.json beside the labels: assumed a simple random draw)', stratumOf: null };

function checkedDesign(
  draw: LabelDraw,
  file: string,
  run: { runDir: string; runId: string | null; judgeHashes: ReadonlySet<string> },
  labels: readonly HumanLabel[],
): LabelDesign {
  if (run.runId !== null && draw.run.id !== run.runId)
    throw new InputError(`this is a draw of run "${draw.run.id}", not of ${run.runDir} (run "${run.runId}"): pass that run's labels`, {
      file,
      path: 'run.id',
    });
  const drawnCells = new Set(draw.cells);
  const stray = labels.find((l) => !drawnCells.has(l.cellId));
  if (stray)
    throw new InputError(
      `cell "${stray.cellId}" is not one draw ${draw.drawId} drew: labels of cells not drawn at random cannot correct an estimate; label the page's cells only`,
      { ...stray.where, path: 'cellId' },
    );
  const byJudge = draw.strataFields.some((f) => f === 'responseType' || f === 'refusal');
  const judged = draw.judges.map((j) => j.hash);
  if (byJudge && [...run.judgeHashes].some((h) => !judged.includes(h)))
    throw new InputError(
      `the run was judged again since this draw (draw judges ${judged.join(', ')}; now ${[...run.judgeHashes].join(', ')}): its strata by the judge's labels no longer hold; draw and label again`,
      { file, path: 'judges' },
    );
  const fields = draw.strataFields;
  if (fields.length === 0) return { text: `uniform (draw.json ${draw.drawId})`, stratumOf: null };
  const index = new Map(draw.strata.map((s, h) => [JSON.stringify(fields.map((f) => s.values[f] ?? null)), h]));
  return {
    text: `stratified by ${fields.join(', ')} (draw.json ${draw.drawId}, ${draw.strata.length} strata)`,
    // A cell outside every stratum was not in the population drawn from: its own stratum, with no labels.
    stratumOf: (j) => index.get(JSON.stringify(fields.map((f) => fieldOf(j, f)))) ?? -1,
  };
}
