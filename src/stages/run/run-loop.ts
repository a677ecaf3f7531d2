import type { ResponseCache } from '../../calls/response-cache.js';
import type { RetryPolicy } from '../../calls/retry.js';
import type { ModelLane } from '../../calls/scheduler.js';
import type { ModelSpec } from '../../config/model-schema.js';
import type { Clock } from '../../core/clock.js';
import type { LanguageModel } from '../../providers/language-model.js';
import type { Transcript } from '../../records/transcript.js';
import { CellRunner } from './cell-runner.js';
import type { PlannedCell } from './plan.js';

/** Everything the loop needs to call one model. */
export interface ModelRuntime {
  spec: ModelSpec;
  model: LanguageModel;
  lane: ModelLane;
  policy: RetryPolicy;
  /**
   * Cells worked on at once for this model (default: twice its concurrency). Batch mode sets it to
   * the batch size, so one batch can gather all of them.
   */
  width?: number | undefined;
}

export interface RunLoopOptions {
  /** Cells still to do (the caller has removed the ones already in transcripts.jsonl). */
  cells: readonly PlannedCell[];
  models: ReadonlyMap<string, ModelRuntime>;
  store: { append(t: Transcript): Promise<void> };
  cache?: ResponseCache | undefined;
  clock: Clock;
  random: () => number;
  now: () => Date;
  /** Ctrl-C: no new cells or attempts start; requests in flight finish and are written; cells cut short are not written. */
  signal?: AbortSignal | undefined;
  /** Called once per written transcript, after it is durable (pipelined judging plugs in here). */
  onTranscript?: ((t: Transcript) => void | Promise<void>) | undefined;
  /** Errored lines each cell already has (a resumed run): a re-attempt is a new batch request. */
  priorFailures?: ReadonlyMap<string, { failures: number }> | undefined;
}

export interface RunLoopResult {
  written: number;
  errored: number;
  cacheHits: number;
  /** True when the signal stopped the loop before every cell was written. */
  interrupted: boolean;
}

/**
 * The thin run loop: per cell, inside the model's lane slot (concurrency + rate limits) the cache
 * lookup and the retry layer; after the slot is released, one transcript line, the cache (successes
 * only) and the onTranscript hook. A storage failure stops the whole loop and is rethrown.
 *
 * Each model's cells are worked through by a fixed set of workers (twice the lane's concurrency,
 * so the lane never waits for a worker). A worker takes its next cell only after the previous one's
 * transcript is written and handed on, so a slow onTranscript consumer (the pipelined judge) holds
 * the run back instead of piling up finished transcripts in memory.
 */
export async function runCells(o: RunLoopOptions): Promise<RunLoopResult> {
  const runner = new CellRunner(o);
  const byModel = new Map<string, PlannedCell[]>();
  for (const cell of o.cells) {
    const list = byModel.get(cell.modelId);
    if (list) list.push(cell);
    else byModel.set(cell.modelId, [cell]);
  }
  const workers: Promise<void>[] = [];
  for (const [modelId, cells] of byModel) {
    const rt = o.models.get(modelId);
    const width = Math.min(cells.length, rt?.width ?? 2 * (rt?.spec.concurrency ?? 1));
    let next = 0;
    const work = async (): Promise<void> => {
      while (next < cells.length && runner.fatal === undefined) await runner.run(cells[next++]!);
    };
    for (let i = 0; i < width; i++) workers.push(work());
  }
  await Promise.all(workers);
  if (runner.fatal !== undefined) throw runner.fatal;
  runner.result.interrupted = runner.result.written < o.cells.length;
  return runner.result;
}
