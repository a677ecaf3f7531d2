import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  anthropicBatchResults,
  cancelAnthropicBatch,
  createAnthropicBatch,
  deleteAnthropicBatch,
  listAnthropicBatches,
  retrieveAnthropicBatch,
} from './anthropic-batches.js';
import { anthropicWire } from './anthropic-wire.js';
import { type BatchCall, refuse } from './batch-call.js';
import { forcedFault } from './faults.js';
import { cancelOpenAIBatch, createOpenAIBatch, listOpenAIBatches, retrieveOpenAIBatch } from './openai-batches.js';
import { deleteFile, fileContent, retrieveFile, uploadFile } from './openai-files.js';
import { openaiWire } from './openai-wire.js';
import { presentedKey } from './presented-key.js';
import { nextId, type ServerState } from './server-state.js';
import { bump } from './stats.js';
import type { VendorWire } from './wire.js';

type Handler = (call: BatchCall) => void;

/** Route base, its vendor's wire, and handlers by `METHOD`, `METHOD :id` or `METHOD :id/action`. */
const TABLE: [string, VendorWire, Record<string, Handler>][] = [
  [
    '/v1/messages/batches',
    anthropicWire,
    {
      POST: createAnthropicBatch,
      GET: listAnthropicBatches,
      'GET :id': retrieveAnthropicBatch,
      'POST :id/cancel': cancelAnthropicBatch,
      'GET :id/results': anthropicBatchResults,
      'DELETE :id': deleteAnthropicBatch,
    },
  ],
  [
    '/v1/batches',
    openaiWire,
    { POST: createOpenAIBatch, GET: listOpenAIBatches, 'GET :id': retrieveOpenAIBatch, 'POST :id/cancel': cancelOpenAIBatch },
  ],
  ['/v1/files', openaiWire, { POST: uploadFile, 'GET :id': retrieveFile, 'GET :id/content': fileContent, 'DELETE :id': deleteFile }],
];

/** Faults the x-valuescope-fault header can force on a batch or file create. */
const CREATE_FAULTS: Record<string, [number, string]> = {
  '429': [429, 'rate limit exceeded (synthetic fault)'],
  '500': [500, 'Internal server error (synthetic fault)'],
  overload: [0, 'Overloaded (synthetic fault)'],
  '404': [404, 'not found (synthetic fault)'],
};

/**
 * Serves the Anthropic Message Batches and OpenAI Batch and Files routes; returns false for any other
 * path. These calls answer at once (no latency, no random faults) and count in `batchCalls`, not `requests`.
 */
export function batchRoute(state: ServerState, req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): boolean {
  const entry = TABLE.find(([base]) => path === base || path.startsWith(`${base}/`));
  if (!entry) return false;
  const [base, wire, handlers] = entry;
  const [id, action, extra] = path.slice(base.length + 1).split('/');
  const key = `${req.method ?? 'GET'}${id ? ' :id' : ''}${action ? `/${action}` : ''}`;
  const handler = extra === undefined ? handlers[key] : undefined;
  const headers = { [wire.requestIdHeader]: `req_${nextId(state)}` };
  const url = new URL(req.url ?? '/', 'http://local');
  const call: BatchCall = { state, req, res, wire, id: id || undefined, query: url.searchParams, body, headers };
  if (!handler) {
    refuse(call, 404, `no route ${req.method} ${path}`);
    return true;
  }
  bump(state.stats.batchCalls, `${req.method} ${base}${id ? '/:id' : ''}${action ? `/${action}` : ''}`);
  if (!refused(call, key === 'POST')) handler(call);
  return true;
}

/** A wrong API key (every route), or a fault forced by header on a create; true when answered. */
function refused(call: BatchCall, create: boolean): boolean {
  const { state, req } = call;
  if (state.opts.apiKey !== undefined && presentedKey(req) !== state.opts.apiKey) {
    bump(state.stats.byFault, '401');
    refuse(call, 401, `invalid API key: ${presentedKey(req) ?? '(none)'}`);
    return true;
  }
  const fault = create ? forcedFault(req.headers['x-valuescope-fault']) : undefined;
  const reply = fault === undefined ? undefined : CREATE_FAULTS[fault];
  if (!fault || !reply) return false;
  bump(state.stats.byFault, fault);
  if (fault === '429') state.stats.sent429++;
  const status = reply[0] || call.wire.overloadStatus;
  refuse(call, status, reply[1]);
  return true;
}
