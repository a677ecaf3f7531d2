import { ProviderError } from '../../core/errors.js';
import type { BatchCounts, BatchItemResult, BatchModel } from '../../providers/batch-model.js';

export interface TrackerDeps {
  pollMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Ctrl-C: stop polling; the batch stays in flight and a resumed run reattaches to it. */
  detach?: AbortSignal | undefined;
  onStatus: (counts: BatchCounts, ended: boolean) => void;
  /** The custom ids submitted in the batch (from the journal), so an item the results leave out is reported missing. */
  expected?: readonly string[] | undefined;
  /** Epoch ms after which a batch still running is cancelled (runner.batch.timeoutMs from its submit). */
  deadline?: number | undefined;
  /** Wall clock, epoch ms (the deadline is in the journal's time). */
  now: () => number;
  /** Told once when the deadline cancelled the batch. */
  onCancelled?: (() => void) | undefined;
}

/**
 * Polls one submitted batch until it ends, then downloads its results once for every request
 * waiting on it. A failed poll is retried at the poll interval: giving up would mean submitting
 * the same requests again while the batch may still be running. Only an error that says the batch
 * itself is gone (404) or can never be read (auth, bad request) ends the waiting.
 *
 * A batch past its deadline is cancelled at the vendor and still polled until it ends: the items
 * it finished are billed, so their answers are used (and charged), and only the cancelled ones are
 * retried in a later batch. Abandoning the batch instead would pay twice for whatever it finished.
 */
export function trackBatch(model: BatchModel, batchId: string, deps: TrackerDeps): Promise<Map<string, BatchItemResult>> {
  return (async () => {
    let cancelled = false;
    for (;;) {
      const status = await readStatus(model, batchId, deps);
      if (status) {
        deps.onStatus(status.counts, status.state === 'ended');
        if (status.state === 'ended') break;
        if (!cancelled && status.state === 'in_progress' && deps.deadline !== undefined && deps.now() >= deps.deadline)
          cancelled = await cancelLate(model, batchId, deps);
      }
      await deps.sleep(deps.pollMs, deps.detach);
    }
    const results = await withPollRetries(() => model.results(batchId, perCall(deps.detach), deps.expected), deps).catch((e: unknown) => {
      // Results the vendor no longer has (404: expired) are gone like the batch: its requests are asked again.
      throw gone(e, batchId);
    });
    return new Map(results.map((r) => [r.customId, r]));
  })();
}

/** True once the cancel is asked (or can never be): a transient failure asks again at the next poll. */
async function cancelLate(model: BatchModel, batchId: string, deps: TrackerDeps): Promise<boolean> {
  try {
    await model.cancel(batchId, perCall(deps.detach));
  } catch (e) {
    if (deps.detach?.aborted) throw e;
    // A batch that ended meanwhile (or cannot be cancelled) is simply polled to its end.
    return !transient(e, deps);
  }
  deps.onCancelled?.();
  return true;
}

async function readStatus(model: BatchModel, batchId: string, deps: TrackerDeps) {
  try {
    return await model.retrieve(batchId, perCall(deps.detach));
  } catch (e) {
    if (!transient(e, deps)) throw gone(e, batchId);
    return undefined;
  }
}

/**
 * Downloading an ended batch's results is retried for as long as it fails transiently, as polls
 * are: giving up would send its requests again in a new batch and pay for them twice.
 */
async function withPollRetries<T>(read: () => Promise<T>, deps: TrackerDeps): Promise<T> {
  for (;;) {
    try {
      return await read();
    } catch (e) {
      if (!transient(e, deps)) throw e;
      await deps.sleep(deps.pollMs, deps.detach);
    }
  }
}

/**
 * A signal of its own for each call: the SDKs leave their abort listener on the signal they are
 * given, and a batch polled for a day would pile thousands onto one long-lived signal.
 */
function perCall(signal: AbortSignal | undefined): AbortSignal | undefined {
  return signal ? AbortSignal.any([signal]) : undefined;
}

function transient(e: unknown, deps: TrackerDeps): boolean {
  if (deps.detach?.aborted) return false;
  return e instanceof ProviderError && e.retryable;
}

/** A batch the vendor no longer knows can be submitted again; any other hard failure ends the cell. */
function gone(e: unknown, batchId: string): unknown {
  if (!(e instanceof ProviderError) || e.kind === 'aborted') return e;
  const unknownBatch = e.status === 404 || e.kind === 'model_not_found';
  return new ProviderError(`batch ${batchId} could not be read: ${e.message}`, {
    kind: unknownBatch ? 'batch_missing' : e.kind,
    status: e.status,
    retryable: unknownBatch,
    cause: e,
  });
}
