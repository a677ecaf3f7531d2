import { setMaxListeners } from 'node:events';
import type { Clock } from '../../core/clock.js';
import { ProviderError } from '../../core/errors.js';
import { type BatchItemResult, type BatchModel, type BatchRequestItem, batchCustomId } from '../../providers/batch-model.js';
import type { GenerateRequest, GenerateResult, LanguageModel } from '../../providers/language-model.js';
import type { BatchJournal } from '../../records/batch-journal.js';
import type { BatchEvent, BatchSettings } from './batch-events.js';
import { BatchRegistry } from './batch-registry.js';
import { trackBatch } from './batch-tracker.js';
import { abortable, outcomeCounts, stoppedWaiting, tagOf, wireRequest } from './batch-waiting.js';
import { findLostBatch, type LookupDeps, refusedSubmit } from './lost-batch.js';
import { type KnownBatch, type Reattachable, reattachable } from './reattach.js';
import { splitBatches } from './split-batches.js';

export interface BatchingOptions {
  journal: BatchJournal;
  /** The configured model id (or judge model id) the journal files its batches under. */
  modelId: string;
  settings: BatchSettings;
  clock: Clock;
  now: () => Date;
  random: () => number;
  /** Ctrl-C: stop waiting; in-flight batches stay at the provider and `--resume` reattaches to them. */
  detach?: AbortSignal | undefined;
  /** The process's batch ids, shared by all its engines (models and judge); one of its own by default. */
  registry?: BatchRegistry | undefined;
  onEvent?: ((e: BatchEvent) => void) | undefined;
}

/** One batch being polled, shared by every request waiting on it. */
interface Tracker {
  results: Promise<Map<string, BatchItemResult>>;
  waiters: number;
  /** Stops the polling once nobody waits any more. */
  stop: AbortController;
  settled: boolean;
}

interface Waiting {
  req: GenerateRequest;
  resolve: (r: GenerateResult) => void;
  reject: (e: unknown) => void;
  /** Clock time the request arrived: its latency runs until its batch's result is in. */
  started: number;
}

/**
 * Batch mode as a LanguageModel: `generate` queues the request, requests arriving within
 * `gatherMs` go out together through the vendor's batch API (journaled before the submit), and
 * each caller gets its own item's result when the batch ends. Everything above it (the retry
 * layer, the run loop, the judge with its repair turn and cache) works unchanged: an errored,
 * expired or cancelled item is a retryable ProviderError, so the retry layer puts it in a later
 * batch, up to the attempt limit. A request whose `batchKey` is in a batch journaled by an earlier
 * process waits for that batch instead of being submitted again.
 */
export class BatchingModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  private queue: Waiting[] = [];
  private cancelFlush: (() => void) | undefined;
  private readonly trackers = new Map<string, Tracker>();
  /** Batches submitted here or reattached from the journal: their custom ids and submit time. */
  private readonly known = new Map<string, KnownBatch>();
  private readonly registry: BatchRegistry;
  private ready: Reattachable | undefined;

  constructor(
    private readonly inner: BatchModel,
    private readonly o: BatchingOptions,
  ) {
    this.provider = inner.provider;
    this.modelId = inner.modelId;
    this.registry = o.registry ?? new BatchRegistry();
    this.registry.add(...[...o.journal.batches.values()].flatMap((b) => (b.batchId ? [b.batchId] : [])));
    if (o.detach) {
      // Every request waiting on a batch listens for Ctrl-C: thousands at once are expected, not a leak.
      setMaxListeners(0, o.detach);
      o.detach.addEventListener('abort', () => this.abandonQueue(), { once: true });
    }
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    if (!req.batchKey) throw new Error('batch mode needs a batchKey on every request');
    const started = this.o.clock.now();
    const reattach = this.reattachMap();
    const old = await reattach.take(req.batchKey, req.signal);
    if (old) {
      const b = reattach.batches.get(old.batchId);
      if (b) this.known.set(old.batchId, b);
      return this.awaitItem(old.batchId, old.customId, req.signal, started);
    }
    if (this.o.detach?.aborted) throw stoppedWaiting();
    return new Promise<GenerateResult>((resolve, reject) => {
      const w: Waiting = { req, resolve, reject, started };
      this.queue.push(w);
      req.signal?.addEventListener('abort', () => this.dropQueued(w, req.signal!.reason), { once: true });
      this.scheduleFlush();
    });
  }

  /** The journal's batches, read once per process (lost ones are looked up per batch, when first asked for). */
  private reattachMap(): Reattachable {
    this.ready ??= reattachable(this.inner, this.lookupDeps(), () => this.registry.settledIds());
    return this.ready;
  }

  private lookupDeps(detach = this.o.detach): LookupDeps {
    const { journal, modelId, now, onEvent, clock, settings } = this.o;
    const sleep = (ms: number, s?: AbortSignal): Promise<void> => clock.sleep(ms, s);
    return { journal, modelId, now, onEvent, detach, sleep, pollMs: settings.pollMs, registry: this.registry };
  }

  private scheduleFlush(): void {
    const max = Math.min(this.o.settings.maxItems ?? Number.POSITIVE_INFINITY, this.inner.limits.maxItems);
    if (this.queue.length >= max) {
      this.flushNow();
      return;
    }
    if (this.cancelFlush) return;
    const fire = (): void => this.flushNow();
    if (this.o.clock.timer) this.cancelFlush = this.o.clock.timer(this.o.settings.gatherMs, fire);
    else {
      const t = setTimeout(fire, this.o.settings.gatherMs);
      this.cancelFlush = () => clearTimeout(t);
    }
  }

  private flushNow(): void {
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    const waiting = this.queue;
    this.queue = [];
    const limits = { ...this.inner.limits, maxItems: Math.min(this.o.settings.maxItems ?? Infinity, this.inner.limits.maxItems) };
    for (const chunk of splitBatches(waiting, (w) => w.req, limits)) void this.submit(chunk);
  }

  private async submit(chunk: Waiting[]): Promise<void> {
    const { journal, modelId } = this.o;
    const tag = `vs${this.o.now().getTime().toString(36)}${Math.floor(this.o.random() * 0x1000000)
      .toString(16)
      .padStart(6, '0')}`;
    const items: BatchRequestItem[] = chunk.map((w, i) => ({ customId: batchCustomId(tag, i, w.req.sample), request: wireRequest(w.req) }));
    const at = this.o.now().toISOString();
    // A waiter that stops waiting during the submit (a halted run) is let go; once none is left, a
    // lookup of the submit's batch stops too (nothing journaled: the next process looks again).
    const live = new Set(chunk);
    const nobody = new AbortController();
    const leave = (w: Waiting) => (): void => {
      if (!live.delete(w)) return;
      w.reject(stoppedWaiting());
      if (live.size === 0) nobody.abort();
    };
    const unlisten = chunk.map((w) => {
      const fn = leave(w);
      w.req.signal?.addEventListener('abort', fn, { once: true });
      return () => w.req.signal?.removeEventListener('abort', fn);
    });
    let batchId: string;
    try {
      await journal.record({
        v: 1,
        kind: 'planned',
        tag,
        modelId,
        provider: this.inner.provider,
        model: this.inner.modelId,
        at,
        items: items.map((it, i) => ({ customId: it.customId, batchKey: chunk[i]!.req.batchKey! })),
      });
      batchId = await this.submitted(tag, items, at, nobody.signal);
    } catch (e) {
      for (const w of live) w.reject(e);
      return;
    } finally {
      for (const off of unlisten) off();
    }
    this.known.set(batchId, { tag, customIds: items.map((it) => it.customId), submittedAt: Date.parse(at) });
    this.o.onEvent?.({ kind: 'submitted', modelId, batchId, items: items.length });
    chunk.forEach((w, i) => {
      if (live.has(w)) this.awaitItem(batchId, items[i]!.customId, w.req.signal, w.started).then(w.resolve, w.reject);
    });
  }

  /**
   * The id of the batch just submitted. Not cancelled by Ctrl-C: a submit cut short may still have
   * been accepted, and only a recorded id lets the next process reattach instead of paying twice.
   * A submit that failed without the vendor saying no is looked up before its requests are retried.
   */
  private async submitted(tag: string, items: BatchRequestItem[], at: string, nobody: AbortSignal): Promise<string> {
    const { journal } = this.o;
    const call = this.registry.submit(this.inner.submit(items, tag));
    try {
      const { id } = await call;
      await journal.record({ v: 1, kind: 'submitted', tag, batchId: id, at: this.o.now().toISOString() }).catch(() => undefined);
      return id;
    } catch (e) {
      if (refusedSubmit(e)) {
        await journal.record({ v: 1, kind: 'abandoned', tag, at: this.o.now().toISOString(), reason: String(e) }).catch(() => undefined);
        throw e;
      }
      // Batches submitted alongside (by any engine of this process) are told apart only once their ids are known.
      const known = async () => new Set([...(await this.registry.settledIds(call)), ...this.known.keys()]);
      const detach = this.o.detach ? AbortSignal.any([this.o.detach, nobody]) : nobody;
      const found = await findLostBatch(this.inner, { tag, at, items: items.length }, known, this.lookupDeps(detach));
      if (found === undefined) throw e;
      this.o.onEvent?.({ kind: 'reattached', modelId: this.o.modelId, batchId: found, items: items.length, adopted: true });
      return found;
    }
  }

  private async awaitItem(batchId: string, customId: string, signal: AbortSignal | undefined, started: number): Promise<GenerateResult> {
    const t = this.tracker(batchId);
    t.waiters++;
    let results: Map<string, BatchItemResult>;
    try {
      results = await abortable(t.results, [signal, this.o.detach]);
    } finally {
      // Nobody left waiting (all interrupted): stop polling; the journal keeps the batch.
      if (--t.waiters === 0 && !t.settled) {
        t.stop.abort();
        this.forget(batchId, t);
      }
    }
    const r = results.get(customId);
    if (!r) throw new ProviderError(`batch ${batchId} returned no result for ${customId}`, { kind: 'batch_missing', retryable: true });
    if (!r.ok)
      throw new ProviderError(`batch ${batchId}: ${r.failure.message}`, {
        kind: r.failure.kind,
        status: r.failure.status,
        retryable: r.failure.retryable,
      });
    const { batched, ...counts } = r.result.usage;
    // The whole call went through the batch API, whether or not the adapter said so.
    return { ...r.result, latencyMs: Math.max(0, this.o.clock.now() - started), usage: { ...counts, batched: batched ?? counts } };
  }

  private tracker(batchId: string): Tracker {
    const live = this.trackers.get(batchId);
    if (live) return live;
    const { modelId, journal, settings } = this.o;
    const stop = new AbortController();
    const known = this.known.get(batchId);
    const results = trackBatch(this.inner, batchId, {
      pollMs: settings.pollMs,
      sleep: (ms, s) => this.o.clock.sleep(ms, s),
      detach: this.o.detach ? AbortSignal.any([this.o.detach, stop.signal]) : stop.signal,
      expected: known?.customIds,
      deadline: known && settings.timeoutMs !== undefined ? known.submittedAt + settings.timeoutMs : undefined,
      now: () => this.o.now().getTime(),
      onCancelled: () =>
        this.o.onEvent?.({
          kind: 'warning',
          modelId,
          message: `batch ${batchId} had not ended after runner.batch.timeoutMs (${settings.timeoutMs} ms): cancelled; what it finished is used, the rest goes into a new batch`,
        }),
      onStatus: (counts, ended) => this.o.onEvent?.({ kind: ended ? 'ended' : 'status', modelId, batchId, counts }),
    });
    const t: Tracker = { results, waiters: 0, stop, settled: false };
    results.then(
      (m) => {
        t.settled = true;
        const tag = known?.tag ?? tagOf(m);
        journal
          .record({ v: 1, kind: 'ended', tag, batchId, at: this.o.now().toISOString(), counts: outcomeCounts(m) })
          .catch(() => undefined);
      },
      (e: unknown) => {
        // A failed tracker is forgotten, so a later request for the same batch polls again; a batch
        // the vendor no longer knows is journaled abandoned (its requests go into a new batch).
        this.forget(batchId, t);
        if (known && e instanceof ProviderError && e.kind === 'batch_missing')
          journal
            .record({ v: 1, kind: 'abandoned', tag: known.tag, at: this.o.now().toISOString(), reason: e.message })
            .catch(() => undefined);
      },
    );
    this.trackers.set(batchId, t);
    return t;
  }

  /** Only this tracker: a newer one for the same batch (started after this one was dropped) stays. */
  private forget(batchId: string, t: Tracker): void {
    if (this.trackers.get(batchId) === t) this.trackers.delete(batchId);
  }

  private dropQueued(w: Waiting, reason: unknown): void {
    const i = this.queue.indexOf(w);
    if (i === -1) return;
    this.queue.splice(i, 1);
    w.reject(reason);
  }

  private abandonQueue(): void {
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    const waiting = this.queue;
    this.queue = [];
    for (const w of waiting) w.reject(stoppedWaiting());
  }
}
