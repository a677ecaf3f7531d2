import type { ChatMessage } from '../../providers/language-model.js';

/** A chat request as both vendor routes parse it. */
export interface ParsedChat {
  model: string;
  system: string;
  messages: ChatMessage[];
  maxTokens: number;
  temperature: number | undefined;
  structured: { name: string; schema: Record<string, unknown> } | undefined;
  /** What the request offers the prompt cache (cache-plan.ts); absent when nothing in it is cacheable. */
  cache?: CachePlan | undefined;
}

/** A prefix the prompt cache may hold: its identity (model included) and its size in estimated tokens. */
export interface CachePrefix {
  key: string;
  tokens: number;
}

export interface CachePlan {
  /** OpenAI caches long prompts by itself; Anthropic only at the client's `cache_control` breakpoints. */
  automatic: boolean;
  /** Candidate prefixes, shortest first. */
  prefixes: CachePrefix[];
  /**
   * Input tokens counted only because a breakpoint covers them: tool definitions, which answer.ts
   * leaves out of the input estimate of every other request.
   */
  extraInputTokens: number;
}

/** What the server decided to answer; each vendor serialises it in its own shape. */
export interface Answer {
  /** Plain answer text, or the raw (malformed) JSON text of a bad structured answer. */
  text: string;
  /** A parsed structured value (valid, or deliberately schema-invalid); absent for text answers. */
  json?: unknown;
  truncated: boolean;
  /** All input tokens, cached ones included (as OpenAI's prompt_tokens counts them). */
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from the prompt cache (prompt-cache.ts); part of inputTokens. */
  cacheReadTokens?: number;
  /** Input tokens written to the prompt cache (Anthropic's cache_creation_input_tokens); part of inputTokens. */
  cacheWriteTokens?: number;
}

/** Who the server says answered: the response's `model`, and `system_fingerprint` on OpenAI's wire. */
export interface ServedIdentity {
  model: string;
  fingerprint: string;
}

export interface VendorWire {
  readonly requestIdHeader: string;
  readonly overloadStatus: number;
  /** Returns the parsed request, or a message for a 400. */
  parse(body: unknown): ParsedChat | string;
  success(req: ParsedChat, answer: Answer, id: string, served: ServedIdentity): unknown;
  error(status: number, message: string): unknown;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Text of a message content that is either a string or an array of typed blocks. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((b) => (isRecord(b) && typeof b.text === 'string' ? b.text : '')).join('');
}

export function parseMessages(raw: unknown, allowSystem: boolean): { messages: ChatMessage[]; system: string } | string {
  if (!Array.isArray(raw) || raw.length === 0) return 'messages: must be a non-empty array';
  const messages: ChatMessage[] = [];
  let system = '';
  for (const [i, m] of raw.entries()) {
    if (!isRecord(m)) return `messages.${i}: must be an object`;
    const role = m.role;
    if (allowSystem && (role === 'system' || role === 'developer')) system += contentText(m.content);
    else if (role === 'user' || role === 'assistant') messages.push({ role, content: contentText(m.content) });
    else return `messages.${i}.role: unexpected value ${JSON.stringify(role)}`;
  }
  return { messages, system };
}
