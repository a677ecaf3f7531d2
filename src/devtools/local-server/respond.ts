import { buildAnswer } from './answer.js';
import type { Exchange } from './exchange.js';
import { dropMidBody, sendJson } from './http-json.js';
import { presentedKey } from './presented-key.js';
import { applyPromptCache } from './prompt-cache.js';
import { servedIdentity } from './served.js';
import type { ServerState } from './server-state.js';

/** Sends the reply a chat request was decided to get; options are read now, not when it arrived. */
export function respond(state: ServerState, ex: Exchange): void {
  if (ex.res.destroyed) return;
  const { fault } = ex.decision;
  if (fault === '429' || fault === 'rpm') {
    sendRateLimited(state, ex);
    return;
  }
  const error = errorReply(ex);
  if (error) sendJson(ex.res, error[0], ex.wire.error(error[0], `${error[1]}${echoed(state, ex)}`), ex.headers);
  else sendAnswer(state, ex);
}

function sendRateLimited(state: ServerState, ex: Exchange): void {
  const { opts } = state;
  const { headers, decision } = ex;
  state.stats.sent429++;
  if (decision.fault === 'rpm') {
    headers['retry-after'] = String(Math.ceil(decision.waitMs / 1000));
    headers['retry-after-ms'] = String(decision.waitMs);
  } else {
    if (opts.retryAfterS !== undefined) headers['retry-after'] = String(opts.retryAfterS);
    if (opts.retryAfterMs !== undefined) headers['retry-after-ms'] = String(opts.retryAfterMs);
    if (opts.retryAfterHeader !== undefined) headers['retry-after'] = opts.retryAfterHeader;
  }
  const why = decision.fault === 'rpm' ? `over ${opts.rpm} requests per minute` : 'synthetic fault';
  sendJson(ex.res, 429, ex.wire.error(429, `rate limit exceeded (${why})`), headers);
}

/** Status and message of an error fault, or undefined when the request gets an answer. */
function errorReply(ex: Exchange): [number, string] | undefined {
  switch (ex.decision.fault) {
    case '500':
      return [500, 'Internal server error (synthetic fault)'];
    case 'overload':
      return [ex.wire.overloadStatus, 'Overloaded (synthetic fault)'];
    case '401':
      // Echoes the presented key, as some real servers do, so clients prove they redact it.
      return [401, `invalid API key: ${presentedKey(ex.req) ?? '(none)'}`];
    case '404':
      return [404, `model: ${ex.chat.model} not found`];
    default:
      return undefined;
  }
}

function sendAnswer(state: ServerState, ex: Exchange): void {
  const { fault } = ex.decision;
  const sample = String(ex.req.headers['x-valuescope-sample'] ?? '');
  const answer = buildAnswer(ex.chat, sample, fault === 'badjson', state.opts.structuredResponder);
  applyPromptCache(state, ex.chat, answer);
  if (answer.json === undefined) answer.text += echoed(state, ex);
  const out = ex.wire.success(ex.chat, answer, ex.id, servedIdentity(state.opts, ex.chat.model));
  if (fault === 'drop') dropMidBody(ex.res, out, ex.headers);
  else sendJson(ex.res, 200, out, ex.headers);
}

function echoed(state: ServerState, ex: Exchange): string {
  return state.opts.echoKey ? ` (your key: ${presentedKey(ex.req) ?? 'none'})` : '';
}
