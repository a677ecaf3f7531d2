import type { BatchModel } from '../../providers/batch-model.js';
import type { JournaledBatch } from '../../records/batch-journal.js';
import { earlierRounds } from './batch-key.js';
import { abortable } from './batch-waiting.js';
import { findLostBatch, type LookupDeps } from './lost-batch.js';

/** Where a request journaled by an earlier process is waiting: its batch and custom id. */
interface InFlight {
  batchId: string;
  customId: string;
}

/** A batch submitted here or by an earlier process: its tag and custom ids, and when it was submitted (its timeout runs from then). */
export interface KnownBatch {
  tag: string;
  customIds: readonly string[];
  submittedAt: number;
}

interface Entry {
  batch: JournaledBatch;
  customId: string;
}

/** A lost batch's lookup, shared by the requests waiting on it and stopped when none is left. */
interface Lookup {
  result: Promise<string | undefined>;
  waiting: number;
  done: boolean;
  stop: AbortController;
}

/** batchKey -> the batch an earlier process submitted it in; each entry is handed out once. */
export interface Reattachable {
  /** Resolves to undefined when the key is in no journaled batch; rejects (entry kept) when `signal` aborts first. */
  take(batchKey: string, signal: AbortSignal | undefined): Promise<InFlight | undefined>;
  batches: ReadonlyMap<string, KnownBatch>;
}

/**
 * This model's batches from the journal, read without any vendor call. A batch whose id was
 * recorded is reattached; one planned but never recorded (the process died during the submit) is
 * looked up at the vendor when one of its requests first asks (lost-batch.ts), so a vendor outage
 * holds back only that batch's requests, and a request that stops waiting (Ctrl-C, a halted run)
 * leaves its entry for the next attempt. Later batches win for the same key. Reattaching an ended
 * batch is deliberate: a process killed after fetching its results but before writing them reads
 * them again instead of paying twice. A re-attempt after a recorded failure asks under a new key
 * (batch-key.ts); it still waits for an earlier round's batch that never ended.
 */
export function reattachable(inner: BatchModel, o: LookupDeps, known: () => Promise<ReadonlySet<string>>): Reattachable {
  const map = new Map<string, Entry>();
  for (const b of o.journal.batches.values()) {
    if (b.planned.modelId !== o.modelId || b.abandoned) continue;
    for (const it of b.planned.items) map.set(it.batchKey, { batch: b, customId: it.customId });
  }
  const batches = new Map<string, KnownBatch>();
  const idOf = lostBatchIds(inner, o, known);
  const entryFor = (key: string): [string, Entry] | undefined => {
    const own = map.get(key);
    if (own) return [key, own];
    for (const k of earlierRounds(key)) {
      const e = map.get(k);
      if (e && !e.batch.ended) return [k, e];
    }
    return undefined;
  };
  return {
    batches,
    async take(key, signal) {
      const hit = entryFor(key);
      if (!hit) return undefined;
      const [k, e] = hit;
      const batchId = await idOf(e.batch, signal);
      if (map.get(k) !== e) return undefined; // handed out meanwhile to another attempt
      map.delete(k);
      if (!batchId) return undefined;
      const { items, at, tag } = e.batch.planned;
      if (!batches.has(batchId)) {
        batches.set(batchId, { tag, customIds: items.map((it) => it.customId), submittedAt: Date.parse(e.batch.submittedAt ?? at) });
        o.onEvent?.({ kind: 'reattached', modelId: o.modelId, batchId, items: items.length, adopted: !e.batch.batchId });
      }
      return { batchId, customId: e.customId };
    },
  };
}

/**
 * The id of a journaled batch: recorded, or looked up at the vendor once for all the requests
 * waiting on it; a lookup nobody waits for any more is stopped.
 */
function lostBatchIds(
  inner: BatchModel,
  o: LookupDeps,
  known: () => Promise<ReadonlySet<string>>,
): (b: JournaledBatch, signal: AbortSignal | undefined) => Promise<string | undefined> {
  const lookups = new Map<string, Lookup>();
  const lookup = (b: JournaledBatch): Lookup => {
    const { tag, at, items } = b.planned;
    const live = lookups.get(tag);
    if (live) return live;
    const stop = new AbortController();
    const detach = o.detach ? AbortSignal.any([o.detach, stop.signal]) : stop.signal;
    const l: Lookup = {
      waiting: 0,
      done: false,
      stop,
      result: findLostBatch(inner, { tag, at, items: items.length }, known, { ...o, detach }),
    };
    // One that failed hard (or was stopped) is tried again by the next request; one that answered is kept.
    l.result.then(
      () => {
        l.done = true;
      },
      () => lookups.delete(tag),
    );
    lookups.set(tag, l);
    return l;
  };
  return async (b: JournaledBatch, signal: AbortSignal | undefined): Promise<string | undefined> => {
    if (b.batchId) return b.batchId;
    const l = lookup(b);
    l.waiting++;
    try {
      return await abortable(l.result, [signal, o.detach]);
    } finally {
      if (--l.waiting === 0 && !l.done) {
        l.stop.abort();
        lookups.delete(b.planned.tag);
      }
    }
  };
}
