import { sampleOfCustomId } from '../../providers/batch-model.js';
import { buildAnswer } from './answer.js';
import { anthropicWire } from './anthropic-wire.js';
import type { BatchItem, BatchRecord, BatchVendor, ItemResult } from './batch-record.js';
import { batchRequestKey } from './batch-request-key.js';
import { writeOpenAIBatchFiles } from './openai-batch-files.js';
import { openaiWire } from './openai-wire.js';
import { applyPromptCache } from './prompt-cache.js';
import { hashString, mulberry32 } from './random.js';
import { servedIdentity } from './served.js';
import { nextId, type ServerState } from './server-state.js';
import { bump } from './stats.js';

/** Registers a new batch (in_progress, nothing answered yet) and counts its items. */
export function createBatch(state: ServerState, vendor: BatchVendor, id: string, items: BatchItem[]): BatchRecord {
  const batch: BatchRecord = { id, vendor, items, createdAt: state.opts.now(), reads: 0, phase: 'in_progress' };
  state.batches.set(id, batch);
  const { stats } = state;
  stats.batchesCreated++;
  stats.batchItems += items.length;
  for (const item of items) {
    if (typeof item.chat !== 'string') bump(stats.batchItemsByRequest, batchRequestKey(vendor, item.chat, sampleOfCustomId(item.customId)));
  }
  return batch;
}

/**
 * One status read. A canceling batch ends now; a running one ends once more than `batchPolls` reads
 * have been made and `batchDelayMs` has passed. Only reads end batches, so tests count them exactly.
 */
export function readBatch(state: ServerState, batch: BatchRecord): void {
  batch.reads++;
  if (batch.phase === 'canceling') endBatch(state, batch, true);
  else if (batch.phase === 'in_progress') {
    const { batchPolls, batchDelayMs, now } = state.opts;
    if (batch.reads > batchPolls && now() - batch.createdAt >= batchDelayMs) endBatch(state, batch, false);
  }
}

/** Moves a running batch to canceling; an ended or canceling batch is left as it is. */
export function cancelBatch(state: ServerState, batch: BatchRecord): void {
  if (batch.phase !== 'in_progress') return;
  batch.phase = 'canceling';
  batch.cancelAt = state.opts.now();
  state.stats.batchesCanceled++;
}

/** A uniform [0, 1) draw fixed by (seed, purpose, custom id): the same item gets the same fate on every run. */
function itemDraw(seed: number, purpose: string, customId: string): number {
  return mulberry32(hashString(`${seed}\u0000${purpose}\u0000${customId}`))();
}

/**
 * Answers the items in order (so a prompt-cache write by one item is read by the next) through the same
 * path as a single request, with the sample taken from the custom id.
 */
function endBatch(state: ServerState, batch: BatchRecord, canceled: boolean): void {
  const { batchExpire } = state.opts;
  const expiring = !canceled && batchExpire !== false && batchExpire !== 0;
  batch.results = batch.items.map((item) => answerItem(state, batch.vendor, item, canceled));
  batch.phase = 'ended';
  batch.endedAt = state.opts.now();
  batch.how = canceled ? 'canceled' : expiring ? 'expired' : 'completed';
  for (const r of batch.results) state.stats.batchItemOutcomes[r.outcome]++;
  if (batch.vendor === 'openai') writeOpenAIBatchFiles(state, batch);
}

function answerItem(state: ServerState, vendor: BatchVendor, item: BatchItem, canceled: boolean): ItemResult {
  const { opts } = state;
  const id = nextId(state);
  const base = { customId: item.customId, requestId: `req_${id}` };
  if (canceled) return { ...base, outcome: 'canceled' };
  const expire =
    opts.batchExpire === true || (typeof opts.batchExpire === 'number' && itemDraw(opts.seed, 'expire', item.customId) < opts.batchExpire);
  if (expire) return { ...base, outcome: 'expired' };
  const chat = item.chat;
  if (typeof chat === 'string') return { ...base, outcome: 'errored', status: 400, message: chat };
  if (itemDraw(opts.seed, 'error', item.customId) < opts.batchItemErrorRate)
    return { ...base, outcome: 'errored', status: 500, message: 'Internal server error (synthetic batch item fault)' };
  const answer = buildAnswer(chat, sampleOfCustomId(item.customId), false, opts.structuredResponder);
  applyPromptCache(state, chat, answer);
  const wire = vendor === 'anthropic' ? anthropicWire : openaiWire;
  const body = wire.success(chat, answer, id, servedIdentity(opts, chat.model));
  const usage = { input: answer.inputTokens, cached: answer.cacheReadTokens ?? 0, output: answer.outputTokens };
  return { ...base, outcome: 'succeeded', body, usage };
}
