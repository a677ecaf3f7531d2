import type { IncomingMessage, ServerResponse } from 'node:http';
import { anthropicWire } from './anthropic-wire.js';
import { batchRoute } from './batch-route.js';
import type { Exchange } from './exchange.js';
import { decideFault } from './fault-decision.js';
import { sendJson } from './http-json.js';
import { openaiWire } from './openai-wire.js';
import { presentedKey } from './presented-key.js';
import { recordReceived } from './received.js';
import { respond } from './respond.js';
import { nextId, resetServerState, type ServerState } from './server-state.js';
import { bump } from './stats.js';
import type { ParsedChat, VendorWire } from './wire.js';

const ROUTES: Record<string, VendorWire> = { '/v1/messages': anthropicWire, '/v1/chat/completions': openaiWire };

/** Dispatches one fully read request: the two control routes, the batch and file routes, the two vendor chat routes, else 404. */
export function route(state: ServerState, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const path = (req.url ?? '/').split('?')[0]!;
  if (req.method === 'GET' && path === '/_stats') {
    sendJson(res, 200, state.stats);
    return;
  }
  if (req.method === 'POST' && path === '/_reset') {
    resetServerState(state);
    sendJson(res, 200, { ok: true });
    return;
  }
  if (batchRoute(state, req, res, path, body)) return;
  const wire = ROUTES[path];
  if (req.method === 'POST' && wire) chat(state, wire, path, req, res, body);
  else sendJson(res, 404, { error: { type: 'not_found_error', message: `no route ${req.method} ${path}` } });
}

function chat(state: ServerState, wire: VendorWire, path: string, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const { stats } = state;
  stats.requests++;
  stats.inFlight++;
  // Reads state.stats on close, not now: a reset in between swaps the object and carries inFlight over.
  res.on('close', () => state.stats.inFlight--);
  bump(stats.byPath, path);
  const id = nextId(state);
  const echo = state.opts.echoKey ? `_${presentedKey(req) ?? ''}` : '';
  const headers: Record<string, string> = { [wire.requestIdHeader]: `req_${id}${echo}` };
  const parsed = parseBody(wire, body);
  if (typeof parsed === 'string') {
    sendJson(res, 400, wire.error(400, parsed), headers);
    return;
  }
  bump(stats.byModel, parsed.model);
  recordReceived(state, path, req, parsed);
  const decision = decideFault(state, req, parsed);
  const delay = state.opts.latencyMs + state.opts.jitterMs * state.rand();
  if (decision.fault !== 'none') bump(stats.byFault, decision.fault);
  if (decision.fault === 'hang') return;
  const ex: Exchange = { req, res, wire, chat: parsed, id, headers, decision };
  if (delay > 0) setTimeout(respond, delay, state, ex);
  else respond(state, ex);
}

function parseBody(wire: VendorWire, body: Buffer): ParsedChat | string {
  try {
    return wire.parse(JSON.parse(body.toString('utf8')));
  } catch {
    return 'body is not valid JSON';
  }
}
