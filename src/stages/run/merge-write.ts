import { promises as fsp } from 'node:fs';
import type { z } from 'zod';
import { type CellRecord, readEffective } from '../../records/effective-records.js';
import { JudgmentSchema } from '../../records/judgment.js';
import { runFile } from '../../records/run-files.js';
import { TranscriptSchema } from '../../records/transcript.js';
import { writeFileAtomicStreamed } from '../../util/atomic-stream.js';
import type { ShardRun } from './merge-check.js';
import type { PlanCell } from './merge-coverage.js';

export interface MergedCounts {
  /** Cells written (each once) and those whose model call ended in error. */
  done: number;
  errored: number;
  /** Judgments written (each cell's effective one), 0 when none were merged. */
  judgments: number;
}

type ModelRecord = CellRecord & { modelId: string };

/**
 * Writes transcripts.jsonl (and, with `judgments`, judgments.jsonl) of the merged run: each cell's
 * effective line from the shard that holds it, in plan order, so merging the same shards always
 * gives the same files. Re-attempts superseded inside a shard stay in the shard. One model at a
 * time is held in memory.
 */
export async function writeMergedRecords(
  out: string,
  shards: readonly ShardRun[],
  plan: readonly PlanCell[],
  owner: ReadonlyMap<string, number>,
  o: { judgments: boolean },
): Promise<MergedCounts> {
  const counts: MergedCounts = { done: 0, errored: 0, judgments: 0 };
  const cells = { shards, plan, owner };
  await writeInPlanOrder(runFile(out, 'transcripts'), 'transcripts', TranscriptSchema, cells, (t) => {
    counts.done++;
    if (t.error !== null) counts.errored++;
  });
  if (!o.judgments) return counts;
  await writeInPlanOrder(runFile(out, 'judgments'), 'judgments', JudgmentSchema, cells, () => {
    counts.judgments++;
  });
  // Judgments only of cells no shard holds any more: no file rather than an empty one.
  if (counts.judgments === 0) await fsp.rm(runFile(out, 'judgments'), { force: true });
  return counts;
}

interface Cells {
  shards: readonly ShardRun[];
  plan: readonly PlanCell[];
  owner: ReadonlyMap<string, number>;
}

async function writeInPlanOrder<T extends ModelRecord>(
  target: string,
  file: 'transcripts' | 'judgments',
  schema: z.ZodType<T>,
  cells: Cells,
  onRecord: (r: T) => void,
): Promise<void> {
  await writeFileAtomicStreamed(target, async (handle) => {
    for (const [modelId, ids] of byModel(cells.plan)) {
      const found = new Map<string, T>();
      for (const s of cells.shards) {
        for await (const { value } of readEffective(runFile(s.dir, file), schema)) {
          // A shard's judgment of a cell it does not hold (judged, then lost its transcript) is not its to give.
          if (value.modelId === modelId && cells.owner.get(value.cellId) === s.shard.index) found.set(value.cellId, value);
        }
      }
      const lines: string[] = [];
      for (const id of ids) {
        const r = found.get(id);
        if (!r) continue;
        onRecord(r);
        lines.push(JSON.stringify(r));
      }
      if (lines.length > 0) await handle.write(`${lines.join('\n')}\n`);
    }
  });
}

function byModel(plan: readonly PlanCell[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of plan) {
    const ids = out.get(c.modelId) ?? [];
    ids.push(c.cellId);
    out.set(c.modelId, ids);
  }
  return out;
}
