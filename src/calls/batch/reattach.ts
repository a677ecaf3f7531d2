import type { BatchModel } from '../../providers/batch-model.js';
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

/** batchKey -> the batch an earlier process submitted it in; each entry is handed out once. */
export interface Reattachable {
  take(batchKey: string): InFlight | undefined;
  batches: ReadonlyMap<string, ReattachedBatch>;
}

/**
 * Reads this model's batches from the journal. A batch whose id was recorded is reattached; one
 * planned but never recorded (the process died during the submit) is looked up at the vendor
 * (lost-batch.ts). Later batches win for the same key, so a request retried in a later batch waits
 * for its latest submission. Reattaching an ended batch is deliberate: a process killed after
 * fetching its results but before writing them reads them again instead of paying twice (a
 * re-attempt after a recorded failure asks under a new key: the callers' batch keys say so).
 */
export async function reattachable(inner: BatchModel, o: LookupDeps): Promise<Reattachable> {
  const map = new Map<string, InFlight>();
  const batches = new Map<string, ReattachedBatch>();
  const known = new Set([...o.journal.batches.values()].flatMap((b) => (b.batchId ? [b.batchId] : [])));
  for (const b of o.journal.batches.values()) {
    if (b.planned.modelId !== o.modelId || b.abandoned) continue;
    const { tag, at, items } = b.planned;
    const batchId = b.batchId ?? (await findLostBatch(inner, { tag, at, items: items.length }, known, o));
    if (!batchId) continue;
    known.add(batchId);
    batches.set(batchId, { customIds: items.map((it) => it.customId), submittedAt: Date.parse(b.submittedAt ?? at) });
    for (const it of items) map.set(it.batchKey, { batchId, customId: it.customId });
    o.onEvent?.({ kind: 'reattached', modelId: o.modelId, batchId, items: items.length, adopted: !b.batchId });
  }
  return {
    batches,
    take(key) {
      const hit = map.get(key);
      if (hit) map.delete(key);
      return hit;
    },
  };
}
