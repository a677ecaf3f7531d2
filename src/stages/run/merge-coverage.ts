import path from 'node:path';
import { ConfigError, type SourceLocation } from '../../core/errors.js';
import { effectiveLines } from '../../records/effective-records.js';
import type { Manifest } from '../../records/manifest.js';
import { RUN_FILES, runFile } from '../../records/run-files.js';
import { cellIdOf, TranscriptSchema } from '../../records/transcript.js';
import type { ShardRun } from './merge-check.js';
import { shardLabel, shardOfCells } from './shard.js';

/** A cell of the whole plan. */
export interface PlanCell {
  cellId: string;
  modelId: string;
}

/** Every cell of the run the shards split, in plan order: model, scenario, sample, as the manifest lists them. */
export function planOfManifest(m: Manifest): PlanCell[] {
  const cells: PlanCell[] = [];
  for (const { id } of m.models) {
    for (const scenarioId of Object.keys(m.scenarios)) {
      for (let sample = 0; sample < m.samples; sample++) cells.push({ cellId: cellIdOf(id, scenarioId, sample), modelId: id });
    }
  }
  return cells;
}

export interface Coverage {
  /** cellId -> index of the shard holding it. */
  owner: Map<string, number>;
  /** Said about the input without stopping the merge (a torn last line dropped). */
  notes: string[];
}

type Problem = SourceLocation & { message: string };

/** How many ids a message lists before it says how many more there are. */
const SHOWN = 3;

function listed(ids: readonly string[]): string {
  const more = ids.length > SHOWN ? `, ... (${ids.length - SHOWN} more)` : '';
  return `${ids.slice(0, SHOWN).join(', ')}${more}`;
}

/**
 * Checks that the shards together hold every cell of the plan exactly once (each cell by its
 * effective transcript line) and nothing else. Missing cells are named with the shard that should
 * hold them (the split depends only on the cell ids, so it can be recomputed here).
 */
export async function checkCoverage(shards: readonly ShardRun[], plan: readonly PlanCell[]): Promise<Coverage> {
  const inPlan = new Set(plan.map((c) => c.cellId));
  const owner = new Map<string, number>();
  const notes: string[] = [];
  const problems: Problem[] = [];
  for (const s of shards) {
    const file = runFile(s.dir, 'transcripts');
    const shownFile = path.join(s.shown, RUN_FILES.transcripts);
    const { lines } = await effectiveLines(file, TranscriptSchema, {
      onTorn: (line, bytes) => notes.push(`${shownFile}:${line}: dropped a torn last line (${bytes} bytes) left by an interrupted write`),
    });
    const foreign: string[] = [];
    const twice: string[] = [];
    for (const cellId of lines.keys()) {
      const held = owner.get(cellId);
      if (!inPlan.has(cellId)) foreign.push(cellId);
      else if (held !== undefined) twice.push(`${cellId} (also in shard ${held}/${s.shard.count})`);
      else owner.set(cellId, s.shard.index);
    }
    if (foreign.length > 0)
      problems.push({
        file: shownFile,
        message: `${foreign.length} cells are not in the plan of the run (${listed(foreign)}): this shard was not cut from the same plan; run it again with the others' settings`,
      });
    if (twice.length > 0)
      problems.push({
        file: shownFile,
        message: `${twice.length} cells are in another shard too (${listed(twice)}): the shards overlap, so they were not split from the same plan; give each shard of one run once`,
      });
  }
  problems.push(...missingProblems(shards, plan, owner));
  if (problems.length > 0)
    throw new ConfigError(problems, 'the shards do not hold every cell of the plan exactly once (nothing was written)');
  return { owner, notes };
}

/** Cells no shard holds, grouped by the shard whose part they are. */
function missingProblems(shards: readonly ShardRun[], plan: readonly PlanCell[], owner: ReadonlyMap<string, number>): Problem[] {
  const missing = plan.filter((c) => !owner.has(c.cellId)).map((c) => c.cellId);
  if (missing.length === 0 || shards.length === 0) return [];
  const count = shards[0]!.shard.count;
  const expected = shardOfCells(
    plan.map((c) => c.cellId),
    count,
  );
  const byShard = new Map<number, string[]>();
  for (const id of missing) {
    const index = expected.get(id) ?? 0;
    const ids = byShard.get(index) ?? [];
    ids.push(id);
    byShard.set(index, ids);
  }
  return [...byShard].map(([index, ids]) => {
    const s = shards.find((x) => x.shard.index === index);
    const dir = s?.shown ?? `shard ${index}/${count}`;
    return {
      file: path.join(dir, RUN_FILES.transcripts),
      message: `${ids.length} cells of shard ${s ? shardLabel(s.shard) : `${index}/${count}`} are in no shard (${listed(ids)}): run them with: valuescope run --resume ${dir}`,
    };
  });
}
