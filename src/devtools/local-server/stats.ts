/** Counters behind GET /_stats. Plain objects so the JSON body is the stats object itself. */
export interface LocalServerStats {
  /** Chat requests (POST /v1/messages, /v1/chat/completions); batch calls are counted in batchCalls. */
  requests: number;
  byPath: Record<string, number>;
  byModel: Record<string, number>;
  /** Faults served: 429, 500, 503, 529, hang, drop, badjson, rpm (a 429 from the rpm limit), 401. */
  byFault: Record<string, number>;
  /** All 429 responses, random, forced and from the rpm limit. */
  sent429: number;
  inFlight: number;
  /** Calls of the batch and file routes, by method and route pattern ('GET /v1/messages/batches/:id'). */
  batchCalls: Record<string, number>;
  batchesCreated: number;
  /** Batches a cancel call moved to canceling. */
  batchesCanceled: number;
  /** Items submitted in all batches. */
  batchItems: number;
  /**
   * Submitted items per request identity (batch-request-key.ts: vendor, model, sample and a hash of system
   * and messages), so a test proves that no cell went into two batches: every count is 1.
   */
  batchItemsByRequest: Record<string, number>;
  /** Outcomes of the items of ended batches. */
  batchItemOutcomes: { succeeded: number; errored: number; expired: number; canceled: number };
  /** Input tokens served from the prompt cache (Anthropic cache reads, OpenAI cached_tokens). */
  cacheReadTokens: number;
  /** Input tokens written to the prompt cache (Anthropic cache_creation_input_tokens, OpenAI first sight). */
  cacheWriteTokens: number;
}

export function emptyStats(): LocalServerStats {
  return {
    requests: 0,
    byPath: {},
    byModel: {},
    byFault: {},
    sent429: 0,
    inFlight: 0,
    batchCalls: {},
    batchesCreated: 0,
    batchesCanceled: 0,
    batchItems: 0,
    batchItemsByRequest: {},
    batchItemOutcomes: { succeeded: 0, errored: 0, expired: 0, canceled: 0 },
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
  };
}

export function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
