import type { IncomingMessage } from 'node:http';
import type { ChatMessage } from '../../providers/language-model.js';
import type { ServerState } from './server-state.js';
import type { ParsedChat } from './wire.js';

/**
 * One chat request as the server received it, kept when the `recordRequests` option is on, so tests
 * can prove what a run actually sent (a variant's system prompt, its headers) through the real SDKs.
 * Credentials (`authorization`, `x-api-key`) are never kept.
 */
export interface ReceivedRequest {
  path: string;
  model: string;
  /** The system prompt as the wire carried it ('' when none): Anthropic's `system`, OpenAI's system/developer messages. */
  system: string;
  messages: ChatMessage[];
  temperature: number | undefined;
  maxTokens: number;
  /** Request headers, names lower-cased, credentials left out. */
  headers: Record<string, string>;
}

/** The log is for tests and short demos: beyond this many requests the oldest are dropped. */
const MAX_RECEIVED = 50_000;
const CREDENTIALS = new Set(['authorization', 'x-api-key']);

export function recordReceived(state: ServerState, path: string, req: IncomingMessage, chat: ParsedChat): void {
  if (!state.opts.recordRequests) return;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !CREDENTIALS.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  state.received.push({
    path,
    model: chat.model,
    system: chat.system,
    messages: chat.messages.map((m) => ({ role: m.role, content: m.content })),
    temperature: chat.temperature,
    maxTokens: chat.maxTokens,
    headers,
  });
  if (state.received.length > MAX_RECEIVED) state.received.splice(0, state.received.length - MAX_RECEIVED);
}
