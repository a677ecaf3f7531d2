import type { BatchModel } from '../../providers/batch-model.js';
import type { JournaledBatch } from '../../records/batch-journal.js';
import { earlierRounds } from './batch-key.js';
import { findLostBatch, type LookupDeps } from './lost-batch.js';

/** Where a request journaled by an earlier process is waiting: its batch and custom id. */
interface InFlight {
  batchId: string;
  customId: string;
}

/** A batch an earlier process submitted: its custom ids, and when it was submitted (its timeout runs from then). */
export interface ReattachedBatch {
  customIds: readonly string[];
  submittedAt: number;
}

interface Entry {
  batch: JournaledBatch;
  customId: string;
}

/** batchKey -> the batch an earlier process submitted it in; each entry is handed out once. */
export interface Reattachable {
  take(batchKey: string): Promise<InFlight | undefined>;
  batches: ReadonlyMap<string, ReattachedBatch>;
}

/**
 * This model's batches from the journal, read without any vendor call. A batch whose id was
 * recorded is reattached; one planned but never recorded (the process died during the submit) is
 * looked up at the vendor when one of its requests first asks (lost-batch.ts), so a vendor outage
 * holds back only that batch's requests. Later batches win for the same key. Reattaching an ended
 * batch is deliberate: a process killed after fetching its results but before writing them reads
 * them again instead of paying twice. A re-attempt after a recorded failure asks under a new key
 * (batch-key.ts); it still waits for an earlier round's batch that never ended.
 */
export function reattachable(inner: BatchModel, o: LookupDeps, known: () => ReadonlySet<string>): Reattachable {
  const map = new Map<string, Entry>();
  for (const b of o.journal.batches.values()) {
    if (b.planned.modelId !== o.modelId || b.abandoned) continue;
    for (const it of b.planned.items) map.set(it.batchKey, { batch: b, customId: it.customId });
  }
  const batches = new Map<string, ReattachedBatch>();
  const lookups = new Map<string, Promise<string | undefined>>();
  const idOf = (b: JournaledBatch): Promise<string | undefined> => {
    if (b.batchId) return Promise.resolve(b.batchId);
    const { tag, at, items } = b.planned;
    let p = lookups.get(tag);
    if (!p) {
      p = findLostBatch(inner, { tag, at, items: items.length }, known(), o);
      // A lookup that failed hard is tried again by the next request; one that answered is kept.
      p.catch(() => lookups.delete(tag));
      lookups.set(tag, p);
    }
    return p;
  };
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
    async take(key) {
      const hit = entryFor(key);
      if (!hit) return undefined;
      const [k, e] = hit;
      map.delete(k);
      const batchId = await idOf(e.batch).catch((err: unknown) => {
        map.set(k, e);
        throw err;
      });
      if (!batchId) return undefined;
      const announce = !batches.has(batchId);
      const { items, at } = e.batch.planned;
      batches.set(batchId, { customIds: items.map((it) => it.customId), submittedAt: Date.parse(e.batch.submittedAt ?? at) });
      if (announce) o.onEvent?.({ kind: 'reattached', modelId: o.modelId, batchId, items: items.length, adopted: !e.batch.batchId });
      return { batchId, customId: e.customId };
    },
  };
}
