import type { Clock } from '../../core/clock.js';
import { ProviderError } from '../../core/errors.js';
import { type BatchItemResult, type BatchModel, type BatchRequestItem, batchCustomId } from '../../providers/batch-model.js';
import type { GenerateRequest, GenerateResult, LanguageModel } from '../../providers/language-model.js';
import type { BatchJournal } from '../../records/batch-journal.js';
import type { BatchEvent, BatchSettings } from './batch-events.js';
import { trackBatch } from './batch-tracker.js';
import { type Reattachable, reattachable } from './reattach.js';
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
  /** Custom ids per batch (submitted here, or reattached from the journal). */
  private readonly expected = new Map<string, readonly string[]>();
  private ready: Promise<Reattachable> | undefined;

  constructor(
    private readonly inner: BatchModel,
    private readonly o: BatchingOptions,
  ) {
    this.provider = inner.provider;
    this.modelId = inner.modelId;
    o.detach?.addEventListener('abort', () => this.abandonQueue(), { once: true });
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    if (!req.batchKey) throw new Error('batch mode needs a batchKey on every request');
    const started = this.o.clock.now();
    const reattach = await this.reattachMap();
    const old = reattach.take(req.batchKey);
    if (old) {
      this.expected.set(old.batchId, reattach.items.get(old.batchId) ?? []);
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

  private reattachMap(): Promise<Reattachable> {
    this.ready ??= reattachable(this.inner, this.o);
    return this.ready;
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
    let batchId: string;
    try {
      await journal.record({
        v: 1,
        kind: 'planned',
        tag,
        modelId,
        provider: this.inner.provider,
        model: this.inner.modelId,
        at: this.o.now().toISOString(),
        items: items.map((it, i) => ({ customId: it.customId, batchKey: chunk[i]!.req.batchKey! })),
      });
      // Not cancelled by Ctrl-C: a submit cut short may still have been accepted, and only a
      // recorded id lets the next process reattach instead of paying for the batch twice.
      batchId = (await this.inner.submit(items, tag)).id;
    } catch (e) {
      await journal.record({ v: 1, kind: 'abandoned', tag, at: this.o.now().toISOString(), reason: String(e) }).catch(() => undefined);
      for (const w of chunk) w.reject(e);
      return;
    }
    await journal.record({ v: 1, kind: 'submitted', tag, batchId, at: this.o.now().toISOString() }).catch(() => undefined);
    this.expected.set(
      batchId,
      items.map((it) => it.customId),
    );
    this.o.onEvent?.({ kind: 'submitted', modelId, batchId, items: items.length });
    chunk.forEach((w, i) => {
      this.awaitItem(batchId, items[i]!.customId, w.req.signal, w.started).then(w.resolve, w.reject);
    });
  }

  private async awaitItem(batchId: string, customId: string, signal: AbortSignal | undefined, started: number): Promise<GenerateResult> {
    const t = this.tracker(batchId);
    t.waiters++;
    let results: Map<string, BatchItemResult>;
    try {
      results = await abortable(t.results, [signal, this.o.detach]);
    } finally {
      // Nobody left waiting (all interrupted or timed out): stop polling; the journal keeps the batch.
      if (--t.waiters === 0 && !t.settled) {
        t.stop.abort();
        this.trackers.delete(batchId);
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
    const known = this.trackers.get(batchId);
    if (known) return known;
    const { modelId, journal } = this.o;
    const stop = new AbortController();
    const results = trackBatch(this.inner, batchId, {
      pollMs: this.o.settings.pollMs,
      sleep: (ms, s) => this.o.clock.sleep(ms, s),
      detach: this.o.detach ? AbortSignal.any([this.o.detach, stop.signal]) : stop.signal,
      expected: this.expected.get(batchId),
      onStatus: (counts, ended) => this.o.onEvent?.({ kind: ended ? 'ended' : 'status', modelId, batchId, counts }),
    });
    const t: Tracker = { results, waiters: 0, stop, settled: false };
    results.then(
      (m) => {
        t.settled = true;
        journal
          .record({ v: 1, kind: 'ended', tag: tagOf(m), batchId, at: this.o.now().toISOString(), counts: outcomeCounts(m) })
          .catch(() => undefined);
      },
      // A failed tracker is forgotten, so a later request for the same batch polls again.
      () => this.trackers.delete(batchId),
    );
    this.trackers.set(batchId, t);
    return t;
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

/** The request as the vendor sees it: no signal, no journal key. */
function wireRequest(req: GenerateRequest): BatchRequestItem['request'] {
  const { signal: _s, batchKey: _k, ...rest } = req;
  return rest;
}

function stoppedWaiting(): ProviderError {
  return new ProviderError('stopped waiting for the batch (interrupted); it stays in flight and --resume reattaches to it', {
    kind: 'aborted',
    retryable: false,
  });
}

/** Waits for `p` unless one of the signals aborts first (the batch itself goes on). */
function abortable<T>(p: Promise<T>, signals: (AbortSignal | undefined)[]): Promise<T> {
  const live = signals.filter((s): s is AbortSignal => s !== undefined);
  if (live.length === 0) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(stoppedWaiting());
    for (const s of live) {
      if (s.aborted) return onAbort();
      s.addEventListener('abort', onAbort, { once: true });
    }
    const cleanup = (): void => {
      for (const s of live) s.removeEventListener('abort', onAbort);
    };
    p.then(
      (v) => {
        cleanup();
        resolve(v);
      },
      (e: unknown) => {
        cleanup();
        reject(e);
      },
    );
  });
}

function tagOf(results: Map<string, BatchItemResult>): string {
  const first = results.keys().next().value as string | undefined;
  return first?.split('_')[0] ?? '';
}

function outcomeCounts(results: Map<string, BatchItemResult>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results.values()) {
    const k = r.ok ? 'succeeded' : r.failure.kind.replace('batch_', '');
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}
