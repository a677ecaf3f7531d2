import { anthropicWire } from './anthropic-wire.js';
import { type BatchCall, findBatch, listPage, objectBody, refuse, reply } from './batch-call.js';
import { cancelBatch, createBatch, readBatch } from './batch-lifecycle.js';
import type { BatchItem, BatchRecord, ItemResult } from './batch-record.js';
import { nextId } from './server-state.js';
import { isRecord } from './wire.js';

const CUSTOM_ID = /^[A-Za-z0-9_-]{1,64}$/;
const DAY_MS = 86_400_000;
const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** The MessageBatch object of the Message Batches API. */
function batchJson(call: BatchCall, b: BatchRecord) {
  const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
  if (b.results) for (const r of b.results) counts[r.outcome]++;
  else counts.processing = b.items.length;
  return {
    id: b.id,
    type: 'message_batch',
    processing_status: b.phase,
    request_counts: counts,
    created_at: iso(b.createdAt),
    expires_at: iso(b.createdAt + DAY_MS),
    ended_at: iso(b.endedAt),
    cancel_initiated_at: iso(b.cancelAt),
    archived_at: null,
    results_url: b.phase === 'ended' ? `http://${call.req.headers.host}/v1/messages/batches/${b.id}/results` : null,
  };
}

/** Every custom_id valid and unique, else a message for a 400; invalid params error per item when the batch ends. */
function parseRequests(requests: unknown): BatchItem[] | string {
  if (!Array.isArray(requests) || requests.length === 0) return 'requests: must be a non-empty array';
  const items: BatchItem[] = [];
  const seen = new Set<string>();
  for (const [i, r] of requests.entries()) {
    const customId = isRecord(r) ? r.custom_id : undefined;
    if (typeof customId !== 'string' || !CUSTOM_ID.test(customId)) return `requests.${i}.custom_id: must match ^[a-zA-Z0-9_-]{1,64}$`;
    if (seen.has(customId)) return `requests.${i}.custom_id: duplicate custom_id ${customId}`;
    seen.add(customId);
    if (!isRecord(r) || !isRecord(r.params)) return `requests.${i}.params: Field required`;
    items.push({ customId, chat: anthropicWire.parse(r.params) });
  }
  return items;
}

/** POST /v1/messages/batches. */
export function createAnthropicBatch(call: BatchCall): void {
  const body = objectBody(call);
  if (!body) return;
  const items = parseRequests(body.requests);
  if (typeof items === 'string') refuse(call, 400, items);
  else reply(call, batchJson(call, createBatch(call.state, 'anthropic', `msgbatch_${nextId(call.state)}`, items)));
}

export function retrieveAnthropicBatch(call: BatchCall): void {
  const batch = findBatch(call, call.state.batches, 'anthropic');
  if (!batch) return;
  readBatch(call.state, batch);
  reply(call, batchJson(call, batch));
}

/** GET /v1/messages/batches: newest first, `limit` (1..1000), `after_id` / `before_id`. Does not count as a status read. */
export function listAnthropicBatches(call: BatchCall): void {
  const all = [...call.state.batches.values()].filter((b) => b.vendor === 'anthropic').reverse();
  const page = listPage(
    all.map((b) => batchJson(call, b)),
    call.query,
    1000,
  );
  if (typeof page === 'string') refuse(call, 400, page);
  else reply(call, page);
}

export function cancelAnthropicBatch(call: BatchCall): void {
  const batch = findBatch(call, call.state.batches, 'anthropic');
  if (!batch) return;
  cancelBatch(call.state, batch);
  reply(call, batchJson(call, batch));
}

/** DELETE /v1/messages/batches/:id: only an ended batch can be deleted, as the API says. */
export function deleteAnthropicBatch(call: BatchCall): void {
  const batch = findBatch(call, call.state.batches, 'anthropic');
  if (!batch) return;
  if (batch.phase !== 'ended') refuse(call, 400, `batch ${batch.id} is still ${batch.phase}; cancel it and wait for it to end first`);
  else {
    call.state.batches.delete(batch.id);
    reply(call, { id: batch.id, type: 'message_batch_deleted' });
  }
}

function resultLine(r: ItemResult) {
  switch (r.outcome) {
    case 'succeeded':
      return { custom_id: r.customId, result: { type: 'succeeded', message: r.body } };
    case 'errored': {
      const error = anthropicWire.error(r.status ?? 500, r.message ?? '') as Record<string, unknown>;
      return { custom_id: r.customId, result: { type: 'errored', error: { ...error, request_id: r.requestId } } };
    }
    default:
      return { custom_id: r.customId, result: { type: r.outcome } };
  }
}

/** GET /v1/messages/batches/:id/results: JSONL, one line per item in submission order, once the batch has ended. */
export function anthropicBatchResults(call: BatchCall): void {
  const batch = findBatch(call, call.state.batches, 'anthropic');
  if (!batch) return;
  if (!batch.results) {
    refuse(call, 404, `batch ${batch.id} has not ended; its results are not available yet`);
    return;
  }
  const text = batch.results.map((r) => `${JSON.stringify(resultLine(r))}\n`).join('');
  // The SDK asks for application/binary and decodes the lines itself, whatever the type.
  call.res.writeHead(200, { 'content-type': 'application/binary', 'content-length': Buffer.byteLength(text), ...call.headers });
  call.res.end(text);
}
