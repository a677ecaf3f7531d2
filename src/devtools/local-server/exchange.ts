import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultDecision } from './fault-decision.js';
import type { ParsedChat, VendorWire } from './wire.js';

/** Everything one chat request's (possibly delayed) reply depends on. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly wire: VendorWire;
  readonly chat: ParsedChat;
  readonly id: string;
  readonly headers: Record<string, string>;
  readonly decision: FaultDecision;
}
