import { InputError } from '../../../core/errors.js';
import { type AnalysisJudgment, AnalysisJudgmentSchema } from '../../../records/analysis-judgment.js';
import type { HumanLabel, HumanLabelSet } from '../../../records/human-labels.js';
import { runFile } from '../../../records/run-files.js';
import { readJsonl } from '../../../util/jsonl.js';
import type { ValueMapper } from './human-reading.js';

/**
 * Each judged cell's effective judgment (the first successful one, as the profile counts it), per model.
 * The profile keeps only per-scenario counts; a corrected estimate needs the judge's reading cell by
 * cell to set it beside the human's, so the run's judgments are read again, only when labels are given.
 */
export async function judgedCells(runDir: string, modelIds: ReadonlySet<string>): Promise<Map<string, AnalysisJudgment[]>> {
  const byCell = new Map<string, AnalysisJudgment>();
  for await (const { value } of readJsonl(runFile(runDir, 'judgments'), AnalysisJudgmentSchema)) {
    if (!modelIds.has(value.modelId) || value.error || value.responseType === null || byCell.has(value.cellId)) continue;
    byCell.set(value.cellId, value);
  }
  const out = new Map<string, AnalysisJudgment[]>();
  for (const j of byCell.values()) {
    const list = out.get(j.modelId);
    if (list) list.push(j);
    else out.set(j.modelId, [j]);
  }
  return out;
}

type StoredMapping = AnalysisJudgment['aiValues'][number]['taxonomy'];

/** What label checks need from a run's judgments, read in one pass. */
export interface JudgmentIndex {
  /** Every cell id (judged or not), for "this label is not a cell of the run" errors. */
  cellIds: Set<string>;
  /** The judges whose judgments the run holds (a draw stratified by the judge's labels must be theirs). */
  judgeHashes: Set<string>;
  /** Up to 500 distinct value names with the mapping they got when judged (judge-placed ones left out). */
  mappings: Map<string, StoredMapping>;
}

export async function judgmentIndex(runDir: string, limit = 500): Promise<JudgmentIndex> {
  const out: JudgmentIndex = { cellIds: new Set(), judgeHashes: new Set(), mappings: new Map() };
  for await (const { value } of readJsonl(runFile(runDir, 'judgments'), AnalysisJudgmentSchema)) {
    out.cellIds.add(value.cellId);
    out.judgeHashes.add(value.judgeHash);
    for (const v of [...value.aiValues, ...value.humanValues])
      if (v.taxonomy.method !== 'judge' && out.mappings.size < limit && !out.mappings.has(v.name)) out.mappings.set(v.name, v.taxonomy);
  }
  return out;
}

/**
 * Human value names are mapped with the taxonomy of the config given now; the judge's were mapped
 * when the run was judged. If the two mappings differ (another taxonomy file or threshold), a human
 * and the judge naming the same value would disagree on its key and the correction would "fix" a
 * difference that is not there: refused, naming a value that maps differently. Names the judge
 * model mapped itself (method "judge") are not re-derivable and are not in the index.
 */
export function checkValueMapping(runDir: string, index: JudgmentIndex, map: ValueMapper): void {
  for (const [name, then] of index.mappings) {
    const now = map(name);
    const same = now.leaf === then.leaf && now.l1 === then.l1 && now.l2 === then.l2 && now.l3 === then.l3;
    if (!same)
      throw new InputError(
        `the value "${name}" was mapped to ${then.leaf ?? then.l1 ?? 'unmapped'} when ${runDir} was judged, but to ${now.leaf ?? now.l1 ?? 'unmapped'} with this config's taxonomy: human labels must be mapped as the judge's were; pass the config the run was judged with (--config), with the same taxonomy.path and threshold`,
        { file: runFile(runDir, 'judgments') },
      );
  }
}

/**
 * The labels that belong to the given runs: a label's cell must be a cell of one of them, and a label
 * that names its run must name that one (cell ids repeat across runs of one suite, so the run id decides
 * between two sides holding the cell). Anything else is a located error (labels of another run, or
 * of another suite, would correct the wrong cells). Returns, per run, the labels of its cells.
 */
export function assignLabels(
  set: HumanLabelSet,
  runs: readonly { runDir: string; runId: string | null }[],
  indexes: readonly JudgmentIndex[],
): Map<string, HumanLabelSet> {
  const cells = indexes.map((x) => x.cellIds);
  const out = new Map(runs.map((r) => [r.runDir, { ...set, labels: new Map() } as HumanLabelSet]));
  for (const label of set.labels.values()) {
    const loc = { file: label.where.file, line: label.where.line };
    const run = runOf(label, runs, cells, loc);
    out.get(run.runDir)!.labels.set(label.cellId, label);
  }
  return out;
}

/** The run a label belongs to: the one holding its cell, and named by its runId when it gives one. */
function runOf(
  label: HumanLabel,
  runs: readonly { runDir: string; runId: string | null }[],
  cells: readonly Set<string>[],
  loc: { file: string; line: number },
): { runDir: string; runId: string | null } {
  // Cell ids repeat across the runs of one suite: a label that does not name its run could correct
  // the same cell id of another run (the page `valuescope label` writes always names it).
  if (label.runId === null)
    throw new InputError('the label gives no runId: corrected estimates need labels that name the run they were drawn from', {
      ...loc,
      path: 'runId',
    });
  const holding = runs.filter((_, k) => cells[k]!.has(label.cellId));
  const where = runs.map((r) => r.runDir).join(' or ');
  if (holding.length === 0)
    throw new InputError(`cell "${label.cellId}" is not a cell of ${where}: pass the labels drawn from this run`, {
      ...loc,
      path: 'cellId',
    });
  const named = label.runId === null ? holding : holding.filter((r) => r.runId === null || r.runId === label.runId);
  if (named.length === 0)
    throw new InputError(
      `runId "${label.runId}" but ${holding.map((r) => `${r.runDir} is run "${r.runId}"`).join(' and ')}: pass the labels drawn from this run`,
      { ...loc, path: 'runId' },
    );
  const distinct = new Set(named.map((r) => r.runDir));
  if (distinct.size > 1)
    throw new InputError(`cell "${label.cellId}" is a cell of both ${where}: give the label the runId of the run it was drawn from`, {
      ...loc,
      path: 'runId',
    });
  return named[0]!;
}
