/**
 * The one seam between the runner and a vendor. The runner never imports a vendor SDK; it only sees this.
 * Shaped like Vercel AI SDK's LanguageModel: normalised text, finish reason, usage, warnings, and
 * vendor extras under providerMetadata.
 */
type ChatRole = 'user' | 'assistant';
export interface ChatMessage {
  role: ChatRole;
  content: string;
}

export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'error' | 'other';

/** Token counts of one call (or a sum of calls). `inputTokens` includes the cache reads and writes. */
interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from the provider's prompt cache (billed at the cached-input price). */
  cachedInputTokens: number;
  /** Input tokens written to the provider's prompt cache (Anthropic bills them above the input price). */
  cacheWriteInputTokens?: number | undefined;
}

export interface Usage extends TokenCounts {
  /**
   * The part of the counts above that went through a batch API (billed at the batch discount).
   * Absent when none did; a sum of calls carries the sum of their batched parts.
   */
  batched?: TokenCounts | undefined;
}

/** Ask for a JSON object matching a JSON Schema (tool use on Anthropic, json_schema on OpenAI). */
export interface StructuredOutputRequest {
  name: string;
  description?: string;
  schema: Record<string, unknown>;
}

export interface GenerateRequest {
  system?: string;
  messages: ChatMessage[];
  temperature?: number;
  maxTokens: number;
  topP?: number;
  /** When set, `text` of the result is the JSON document the model produced. */
  structured?: StructuredOutputRequest;
  /** Aborts the HTTP request; the runner uses it for per-request timeouts and Ctrl-C. */
  signal?: AbortSignal;
  /**
   * Sample index of this cell (0-based). The replay provider matches on it; HTTP adapters send it
   * as the `x-valuescope-sample` header, which the local test server uses to vary its answers.
   */
  sample?: number;
  /**
   * The system prompt (and the structured-output tool or schema) is a stable prefix shared by many
   * requests: Anthropic adapters mark it with a cache-control breakpoint; OpenAI caches such
   * prefixes automatically and gets `prompt_cache_key` set to `cacheKey`.
   */
  cachePrefix?: { cacheKey: string } | undefined;
  /**
   * Stable identity of this request across processes (a cell id, or judge hash + cell + rater +
   * turn). Batch mode records it in the run directory before submitting, so a resumed process
   * reattaches to the in-flight batch instead of submitting the same request twice.
   */
  batchKey?: string | undefined;
}

/**
 * Which model actually answered, as the API reported it: the response's `model` (Anthropic Messages,
 * OpenAI Chat Completions) and OpenAI's `system_fingerprint` (the backend configuration). A provider
 * can change what stands behind a configured name; this is how a run notices.
 */
interface ServedModel {
  model: string;
  fingerprint?: string;
}

export interface GenerateResult {
  text: string;
  finishReason: FinishReason;
  usage: Usage;
  latencyMs: number;
  requestId?: string;
  /** The served model id (and fingerprint) the API returned; absent when it returned none. */
  served?: ServedModel;
  warnings: string[];
  /** Vendor-specific extras (raw stop reason, system fingerprint, ...). Never secrets. */
  providerMetadata?: Record<string, unknown>;
}

export interface LanguageModel {
  /** Registry name of the adapter: 'anthropic', 'openai', 'replay', ... */
  readonly provider: string;
  /** The vendor's model name as sent on the wire. */
  readonly modelId: string;
  /**
   * One attempt, no retries: retrying lives in exactly one layer (src/calls/retry.ts).
   * Failures are thrown as ProviderError with `retryable` set.
   */
  generate(request: GenerateRequest): Promise<GenerateResult>;
}
