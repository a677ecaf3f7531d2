import { ProviderError } from '../../core/errors.js';
import type { BatchModel, FoundBatch } from '../../providers/batch-model.js';
import type { BatchJournal } from '../../records/batch-journal.js';
import type { BatchEvent } from './batch-events.js';
import type { BatchRegistry } from './batch-registry.js';

/** Candidates of a lost batch are looked for from a little before it was planned (clock skew)... */
const SLACK_BEFORE_MS = 5 * 60_000;
/** ...to the longest a submit can take (the SDKs time out after 10 minutes), with the same skew. */
const SLACK_AFTER_MS = 15 * 60_000;

interface LostBatch {
  tag: string;
  /** ISO time the batch was planned (journaled just before the submit). */
  at: string;
  items: number;
}

export interface LookupDeps {
  journal: BatchJournal;
  modelId: string;
  now: () => Date;
  onEvent?: ((e: BatchEvent) => void) | undefined;
  detach?: AbortSignal | undefined;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  pollMs: number;
  /** Told every adopted id, so the process's other engines skip it. */
  registry?: BatchRegistry | undefined;
}

/**
 * A batch whose submit has no recorded answer (the process died during it, or the call failed in
 * a way that does not say the vendor refused it: a dropped connection, a 5xx, a timeout) may exist
 * at the vendor. It is adopted when exactly one unknown batch fits, and the adoption journaled;
 * otherwise it is journaled abandoned with the reason, and its requests are submitted again (on
 * Anthropic, with no batch metadata, two batches of the same size created in that window cannot be
 * told apart: docs/batch.md). A lookup failing transiently is retried until it succeeds; one that
 * fails hard throws with nothing journaled, so a later process looks again rather than paying twice.
 */
export async function findLostBatch(
  inner: BatchModel,
  lost: LostBatch,
  /** The ids this process knows, once its submits in flight have settled: asked AFTER the vendor's list. */
  known: () => Promise<ReadonlySet<string>>,
  o: LookupDeps,
): Promise<string | undefined> {
  const planned = Date.parse(lost.at);
  const since = new Date(planned - SLACK_BEFORE_MS).toISOString();
  const all = await withLookupRetries(() => inner.findCandidates(lost.tag, since, lost.items, o.detach), o, lost.tag);
  // A batch another engine submits while the list is read shows up in it: its id must be known first.
  const ids = await known();
  const found = all.filter((c) => !ids.has(c.id) && createdInWindow(c, planned));
  if (found.length > 1)
    o.onEvent?.({
      kind: 'warning',
      modelId: o.modelId,
      message: `batch ${lost.tag}: ${found.length} batches at the provider could be this one; waiting for them to end to tell it by its results`,
    });
  const batchId = found.length === 1 ? found[0]!.id : await pickByResults(inner, found, lost.tag, o);
  if (batchId !== undefined) {
    o.registry?.add(batchId);
    await o.journal.record({ v: 1, kind: 'submitted', tag: lost.tag, batchId, at: o.now().toISOString(), adopted: true });
    return batchId;
  }
  const reason =
    found.length === 0
      ? 'not found at the provider after an interrupted or failed submit: its requests are submitted again'
      : `none of the ${found.length} batches at the provider that could be this one holds its requests: they are submitted again`;
  await o.journal.record({ v: 1, kind: 'abandoned', tag: lost.tag, at: o.now().toISOString(), reason });
  o.onEvent?.({ kind: 'warning', modelId: o.modelId, message: `batch ${lost.tag}: ${reason}` });
  return undefined;
}

/**
 * Several candidates (Anthropic: same size, same minutes; no metadata to tell them apart): the one
 * whose results carry this batch's custom ids (they start with its tag) is it. Results exist only
 * once a batch has ended, so this waits for each candidate in turn, polling as a tracker does.
 */
async function pickByResults(inner: BatchModel, found: readonly FoundBatch[], tag: string, o: LookupDeps): Promise<string | undefined> {
  // Every candidate is polled in turn and checked as soon as it ends: a foreign batch still running
  // must not hold back this one's, already ended.
  const open = [...found];
  while (open.length > 0) {
    for (const c of [...open]) {
      const status = await withLookupRetries(() => inner.retrieve(c.id, o.detach), o, tag);
      if (status.state !== 'ended') continue;
      open.splice(open.indexOf(c), 1);
      const results = await withLookupRetries(() => inner.results(c.id, o.detach), o, tag);
      if (results.some((r) => r.customId.startsWith(`${tag}_`))) return c.id;
    }
    if (open.length > 0) await o.sleep(o.pollMs, o.detach);
  }
  return undefined;
}

function createdInWindow(c: FoundBatch, planned: number): boolean {
  if (c.createdAt === undefined) return true;
  const t = Date.parse(c.createdAt);
  return t >= planned - SLACK_BEFORE_MS && t <= planned + SLACK_AFTER_MS;
}

/**
 * A transient lookup failure is retried at the poll interval for as long as it lasts, as polls are:
 * giving up would send the requests again and perhaps pay twice. Only Ctrl-C (nothing journaled:
 * the next process looks again) or a hard failure (auth) ends it.
 */
async function withLookupRetries<T>(read: () => Promise<T>, o: LookupDeps, tag: string): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await read();
    } catch (e) {
      const transient = e instanceof ProviderError && e.retryable && !o.detach?.aborted;
      if (!transient) throw e;
      // Said once, then every 20th try: a long outage is visible without flooding the log.
      if (tries % 20 === 1)
        o.onEvent?.({
          kind: 'warning',
          modelId: o.modelId,
          message: `batch ${tag}: looking it up at the provider failed (${e.message}); trying again every ${o.pollMs} ms`,
        });
      await o.sleep(o.pollMs, o.detach);
    }
  }
}

/**
 * Whether a failed submit says the vendor did not create the batch: a 4xx answer (other than a
 * 408 timeout) is a refusal of the request. Anything else (no answer, a 5xx, a timeout) leaves it
 * open whether the batch exists.
 */
export function refusedSubmit(e: unknown): boolean {
  if (!(e instanceof ProviderError)) return false;
  return e.status !== undefined && e.status >= 400 && e.status < 500 && e.status !== 408;
}
