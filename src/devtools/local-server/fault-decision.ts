import type { IncomingMessage } from 'node:http';
import { drawFault, type Fault, forcedFault } from './faults.js';
import { presentedKey } from './presented-key.js';
import type { ServerState } from './server-state.js';
import type { ParsedChat } from './wire.js';

/** The outcome picked for one chat request; `rpm` is a 429 from the rpm limit, due in `waitMs`. */
export interface FaultDecision {
  fault: Fault | 'rpm';
  waitMs: number;
}

/**
 * Precedence: a forced fault header, then a wrong API key, then the rpm limit, then the seeded draw.
 * The draw consumes one random number on every parsed request, whatever wins, so a seed replays exactly.
 */
export function decideFault(state: ServerState, req: IncomingMessage, chat: ParsedChat): FaultDecision {
  const { opts } = state;
  const forcedHeader = req.headers['x-valuescope-fault'];
  let fault: Fault | 'rpm' = forcedFault(forcedHeader) ?? 'none';
  if (opts.apiKey !== undefined && presentedKey(req) !== opts.apiKey) fault = '401';
  let waitMs = 0;
  if (fault === 'none' && opts.rpm !== undefined) {
    waitMs = state.window.admit(chat.model, opts.rpm);
    if (waitMs > 0) fault = 'rpm';
  }
  const u = state.rand();
  if (fault === 'none' && !forcedHeader) fault = drawFault(u, opts, chat.structured !== undefined);
  return { fault, waitMs };
}
