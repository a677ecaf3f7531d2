import { setMaxListeners } from 'node:events';
import { withRound } from '../../calls/batch/batch-key.js';
import { generateWithRetry } from '../../calls/model-call.js';
import { type CachedAnswer, keyModelOf, type ResponseCache, requestKeyParts } from '../../calls/response-cache.js';
import { isAbortedCall } from '../../core/errors.js';
import type { Transcript } from '../../records/transcript.js';
import { cacheValueOf, transcriptOf } from './cell-transcript.js';
import type { PlannedCell } from './plan.js';
import type { ModelRuntime, RunLoopOptions, RunLoopResult } from './run-loop.js';

/** A cell answered inside its lane slot, waiting to be written. */
interface CalledCell {
  t: Transcript;
  key: string | undefined;
  hit: boolean;
}

/**
 * The run loop's shared state and its per-cell steps. Methods on one instance rather than closures
 * per run keep the hot path free of extra allocations.
 */
export class CellRunner {
  readonly result: RunLoopResult = { written: 0, errored: 0, cacheHits: 0, interrupted: false };
  /** The first storage (or setup) failure; it stops the loop and is rethrown. */
  fatal: unknown;
  // `halt` aborts in-flight calls (a storage failure); the caller's signal only stops new work.
  private readonly halt = new AbortController();
  private readonly cache: ResponseCache | undefined;

  constructor(private readonly o: RunLoopOptions) {
    this.cache = o.cache;
    // One abort listener per request in flight is expected, not a leak.
    setMaxListeners(0, this.halt.signal);
    if (o.signal) setMaxListeners(0, o.signal);
  }

  async run(cell: PlannedCell): Promise<void> {
    try {
      const rt = this.o.models.get(cell.modelId);
      if (!rt) throw new Error(`no runtime for model ${cell.modelId}`);
      const done = await rt.lane.run(() => this.call(cell, rt));
      if (!done) return;
      await this.persist(done);
      if (this.o.onTranscript) await this.o.onTranscript(done.t);
    } catch (e) {
      if (this.fatal === undefined) this.fatal = e;
      this.halt.abort(e);
    }
  }

  private stopped(): boolean {
    return this.halt.signal.aborted || this.o.signal?.aborted === true;
  }

  // Runs inside the model's lane slot: only what needs the provider. Writing happens after the
  // slot is released, so a slow disk never holds back the next request.
  private async call(cell: PlannedCell, rt: ModelRuntime): Promise<CalledCell | undefined> {
    const { o } = this;
    if (this.stopped()) return undefined;
    const startedAt = o.now().toISOString();
    const key = this.cache?.keyFor(requestKeyParts(keyModelOf(rt.spec), cell.request, cell.sample));
    const hit = key !== undefined ? await this.cache?.get<CachedAnswer>(key) : undefined;
    if (hit) {
      const outcome = { result: hit, attempts: 0, cached: true, cachedFrom: hit.runId };
      const t = transcriptOf(cell, rt, outcome, startedAt, o.now().toISOString());
      // Answers reused from an earlier run (--reuse-from) are counted by the caller, which planned them.
      if (!this.cache?.reused) this.result.cacheHits++;
      return { t, key, hit: true };
    }
    // The cell id identifies the request across processes: batch mode journals it (calls/batch/). A
    // re-attempt after a recorded failure (--retry-errors) is a new request, not a wait for the old batch.
    const batchKey = withRound(cell.cellId, o.priorFailures?.get(cell.cellId)?.failures ?? 0);
    const outcome = await generateWithRetry(rt.model, { ...cell.request, batchKey }, rt.lane, rt.policy, {
      sleep: o.clock.sleep,
      timer: o.clock.timer,
      random: o.random,
      signal: this.halt.signal,
      stopRetrying: o.signal,
    });
    if (!outcome.ok && isAbortedCall(outcome.error) && this.stopped()) return undefined; // stays missing: resume redoes it
    const t = transcriptOf(
      cell,
      rt,
      outcome.ok
        ? { result: outcome.value, attempts: outcome.attempts, cached: false }
        : { error: outcome.error, attempts: outcome.attempts },
      startedAt,
      o.now().toISOString(),
    );
    // A falsy non-undefined cache entry still counts as a hit: it is not written back.
    return { t, key, hit: hit !== undefined };
  }

  private async persist({ t, key, hit }: CalledCell): Promise<void> {
    await this.o.store.append(t);
    this.result.written++;
    if (t.error) this.result.errored++;
    if (this.cache && key !== undefined && !hit && t.response) await this.cache.put(key, cacheValueOf(t, this.cache.runId));
  }
}
