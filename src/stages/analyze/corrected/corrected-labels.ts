import { InputError } from '../../../core/errors.js';
import { type HumanLabelSet, readHumanLabels } from '../../../records/human-labels.js';
import type { ProfileFile } from '../../../records/profile.js';
import { assignLabels, checkValueMapping, judgedCells, judgmentIndex } from './cell-readings.js';
import { correctedBlock } from './corrected-profile.js';
import type { ValueMapper } from './human-reading.js';
import { type LabelDesign, runDesigns } from './label-design.js';

/** Human label files for corrected estimates, and how their value names map onto the run's taxonomy. */
export interface LabelInput {
  /** Absolute paths. */
  files: string[];
  /** The taxonomy mapping the judge's values went through. */
  map: ValueMapper;
}

export interface RunLabels {
  /** Run directory -> how its labels were drawn. */
  designs: Map<string, LabelDesign>;
  /** Run directory -> the labels of its cells. */
  byRun: Map<string, HumanLabelSet>;
  map: ValueMapper;
}

/**
 * Reads and combines the label files, finds their draw, and assigns each label to the run holding its
 * cell (a label of no given run is a located error). Nothing is written before this succeeds.
 */
export async function readRunLabels(
  input: LabelInput,
  runs: readonly { runDir: string; runId: string | null; baseline?: boolean }[],
): Promise<RunLabels> {
  const key = (name: string) => {
    const p = input.map(name);
    return (p.leaf ?? p.l1 ?? p.l2 ?? p.l3 ?? name).toLowerCase();
  };
  refuseBaselines(runs);
  const set = await readHumanLabels(input.files, key);
  // One pass over each run's judgments serves every check below.
  const indexes = await Promise.all(runs.map((r) => judgmentIndex(r.runDir)));
  const byRun = assignLabels(set, runs, indexes);
  runs.forEach((r, k) => {
    if ((byRun.get(r.runDir)?.labels.size ?? 0) > 0) checkValueMapping(r.runDir, indexes[k]!, input.map);
  });
  const designs = await runDesigns(
    byRun,
    runs.map((r, k) => ({ ...r, judgeHashes: indexes[k]!.judgeHashes })),
  );
  return { designs, byRun, map: input.map };
}

/** Corrected estimates pair each human label with its cell's judgment: a baseline side (LoadedRun.baseline) holds counts only. */
function refuseBaselines(runs: readonly { runDir: string; runId: string | null; baseline?: boolean }[]): void {
  const file = runs.find((r) => r.baseline === true);
  if (!file) return;
  throw new InputError(
    `${file.runDir} is a baseline file: baselines hold counts only, not the per-cell judgments that judge-corrected estimates (--labels, judge.labels, gate.decideOn: corrected) need; pass the run directory it was saved from${file.runId ? ` (run ${file.runId})` : ''}, or analyse without labels`,
  );
}

/** How a run's labels were drawn (uniform when it has none). */
export function designOf(labels: RunLabels, runDir: string): LabelDesign {
  return labels.designs.get(runDir) ?? { text: 'uniform', stratumOf: null };
}

/** Adds each model's `corrected` block to a profile, and a note naming what could not be corrected. */
export async function addCorrected(profile: ProfileFile, labels: RunLabels, level: number): Promise<void> {
  const set = labels.byRun.get(profile.runDir);
  if (!set) return;
  const cells = await judgedCells(profile.runDir, new Set(profile.models.map((m) => m.modelId)));
  for (const m of profile.models) {
    const block = correctedBlock(cells.get(m.modelId) ?? [], set, { design: designOf(labels, profile.runDir), map: labels.map, level });
    m.corrected = block;
    const all = Object.values(block.metrics);
    const done = all.filter((x) => x.sufficient).length;
    profile.notes.push(
      `${m.modelId}: ${block.labels.labelled} human-labelled cells (${block.labels.draw}); ${done} of ${all.length} metrics they speak to are judge-corrected` +
        (done < all.length ? '; the others have too few labels to correct (each says why under corrected.metrics)' : ''),
    );
  }
}
