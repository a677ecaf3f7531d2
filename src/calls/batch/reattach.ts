import type { BatchModel } from '../../providers/batch-model.js';
import type { BatchJournal, JournaledBatch } from '../../records/batch-journal.js';
import type { BatchingOptions } from './batching-model.js';

/** Where a request journaled by an earlier process is waiting: its batch and custom id. */
interface InFlight {
  batchId: string;
  customId: string;
}

/** batchKey -> the batch an earlier process submitted it in; each entry is handed out once. */
export interface Reattachable {
  take(batchKey: string): InFlight | undefined;
  /** The custom ids each reattached batch was submitted with. */
  items: ReadonlyMap<string, readonly string[]>;
}

/** Candidates of a lost batch are looked for from a little before it was planned (clock skew). */
const FIND_SLACK_MS = 5 * 60_000;

/**
 * Reads this model's batches from the journal. A batch whose id was recorded is reattached; one
 * planned but never recorded (the process died during the submit) is looked up at the vendor and
 * adopted when exactly one unknown batch fits, else abandoned with the reason journaled (its
 * requests are then submitted again: on Anthropic, with no batch metadata, two batches of the
 * same size created in that minute cannot be told apart). Later batches win for the same key, so
 * a request retried in a later batch waits for its latest submission.
 */
export async function reattachable(
  inner: BatchModel,
  o: Pick<BatchingOptions, 'journal' | 'modelId' | 'now' | 'onEvent' | 'detach'>,
): Promise<Reattachable> {
  const map = new Map<string, InFlight>();
  const items = new Map<string, string[]>();
  const known = new Set([...o.journal.batches.values()].flatMap((b) => (b.batchId ? [b.batchId] : [])));
  for (const b of o.journal.batches.values()) {
    if (b.planned.modelId !== o.modelId || b.abandoned) continue;
    const batchId = b.batchId ?? (await adopt(inner, b, known, o));
    if (!batchId) continue;
    known.add(batchId);
    items.set(
      batchId,
      b.planned.items.map((it) => it.customId),
    );
    for (const it of b.planned.items) map.set(it.batchKey, { batchId, customId: it.customId });
    o.onEvent?.({ kind: 'reattached', modelId: o.modelId, batchId, items: b.planned.items.length, adopted: !b.batchId });
  }
  return {
    items,
    take(key) {
      const hit = map.get(key);
      if (hit) map.delete(key);
      return hit;
    },
  };
}

async function adopt(
  inner: BatchModel,
  b: JournaledBatch,
  known: ReadonlySet<string>,
  o: Pick<BatchingOptions, 'journal' | 'modelId' | 'now' | 'onEvent' | 'detach'>,
): Promise<string | undefined> {
  const { tag, at, items } = b.planned;
  const since = new Date(Date.parse(at) - FIND_SLACK_MS).toISOString();
  const found = (await inner.findCandidates(tag, since, items.length, o.detach)).filter((c) => !known.has(c.id));
  const journal: BatchJournal = o.journal;
  if (found.length === 1) {
    const batchId = found[0]!.id;
    await journal.record({ v: 1, kind: 'submitted', tag, batchId, at: o.now().toISOString(), adopted: true });
    return batchId;
  }
  const reason =
    found.length === 0
      ? 'not found at the provider after an interrupted submit: its requests are submitted again'
      : `${found.length} batches at the provider could be this one: its requests are submitted again (one of those batches may be billed twice)`;
  await journal.record({ v: 1, kind: 'abandoned', tag, at: o.now().toISOString(), reason });
  o.onEvent?.({ kind: 'warning', modelId: o.modelId, message: `batch ${tag}: ${reason}` });
  return undefined;
}
