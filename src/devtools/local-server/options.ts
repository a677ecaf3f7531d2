import { UsageError } from '../../core/errors.js';
import type { ChatMessage } from '../../providers/language-model.js';

/** What a structured-output responder gets: the JSON Schema the client asked to be answered with. */
export interface StructuredRequest {
  schema: Record<string, unknown>;
  name: string;
  messages: ChatMessage[];
  system: string;
  model: string;
}

export interface LocalServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Only 127.0.0.1 / localhost are accepted: the server is for tests and demos, never the network. */
  host?: string;
  latencyMs?: number;
  /** Extra uniform random latency in [0, jitterMs). */
  jitterMs?: number;
  /** Rate of HTTP 500 (api_error / server_error). */
  errorRate?: number;
  /** Rate of overload errors: 529 overloaded_error on /v1/messages, 503 on /v1/chat/completions. */
  overloadRate?: number;
  /** Rate of HTTP 429. */
  rate429?: number;
  /** Sent as `retry-after` (seconds) on random 429s. */
  retryAfterS?: number;
  /** Sent as `retry-after-ms` on random 429s. */
  retryAfterMs?: number;
  /**
   * Sent verbatim as `retry-after` on random 429s, replacing retryAfterS: an HTTP date, a huge or
   * malformed value, to test how clients cope with what careless servers send.
   */
  retryAfterHeader?: string;
  /** Rate of requests that are read and never answered. */
  hangRate?: number;
  /** Rate of responses cut off mid-body (socket destroyed). */
  dropRate?: number;
  /** Rate of structured-output answers that are malformed or violate the schema. */
  badJsonRate?: number;
  /** Requests per minute per model name; beyond it 429 with exact retry-after (sliding 60 s window). */
  rpm?: number;
  /** Seed of the fault and jitter draws. */
  seed?: number;
  /** When set, requests must carry this key (x-api-key or Authorization: Bearer) or get 401. */
  apiKey?: string;
  /**
   * Echo the key a client presents in the request-id header, in answer texts and in error bodies,
   * as careless servers and proxies do: tests prove that no byte valuescope writes keeps it.
   */
  echoKey?: boolean;
  /**
   * The model id the server says answered (`model` in both wires' responses): a fixed id, or a function
   * of the requested name. Default: the requested name, as the APIs answer a fully specified model id.
   * Set it to simulate a provider swapping the model behind a configured name.
   */
  servedModel?: string | ((requested: string) => string);
  /**
   * `system_fingerprint` of Chat Completions responses. Default: `fp_` and 10 hex digits derived from
   * the served model, so it changes when the served model does.
   */
  fingerprint?: string;
  /**
   * Status reads (retrieve calls) a batch answers in_progress before a read reports it ended; 0 ends it
   * at the first read. Deterministic, so tests count polls. Default 1.
   */
  batchPolls?: number;
  /** And at least this many milliseconds (by `now`) after creation, for time-based tests. Default 0. */
  batchDelayMs?: number;
  /** Share of batch items that come back errored, drawn on (seed, custom id): a resubmitted item with a new id may succeed. */
  batchItemErrorRate?: number;
  /**
   * Batches end as expired: `true` expires every item, a number in [0, 1] the share of items drawn on
   * (seed, custom id); the others are answered. Default false.
   */
  batchExpire?: boolean | number;
  /** Simulates prompt caching on both wires (single requests and batch items). Default true. */
  promptCache?: boolean;
  /** Prefixes shorter than this many tokens are not cached (both wires). Default 1024. */
  cacheMinTokens?: number;
  /** How long a cached prefix lives after its last write or read (by `now`). Default 300000 (5 minutes). */
  cacheTtlMs?: number;
  /** Replaces the generic schema-driven JSON for structured requests. Return a JSON-serialisable value. */
  structuredResponder?: (req: StructuredRequest) => unknown;
  /**
   * Keep every chat request (model, system prompt, messages, headers without credentials) for
   * `LocalServer.received()`, so tests see what a run sent. Default false (nothing is kept).
   */
  recordRequests?: boolean;
  /** Milliseconds clock for the rpm window, batch times and the prompt cache's TTL (tests inject one). */
  now?: () => number;
}

export type ResolvedOptions = Required<Omit<LocalServerOptions, OptionalKeys | 'host'>> & Pick<LocalServerOptions, OptionalKeys>;

type OptionalKeys =
  | 'structuredResponder'
  | 'apiKey'
  | 'rpm'
  | 'retryAfterS'
  | 'retryAfterMs'
  | 'retryAfterHeader'
  | 'servedModel'
  | 'fingerprint';

const RATES = ['errorRate', 'overloadRate', 'rate429', 'hangRate', 'dropRate', 'badJsonRate', 'batchItemErrorRate'] as const;

/** Options as `setOptions` takes them: an explicit `undefined` turns a setting back off. */
export type OptionsPatch = { [K in keyof LocalServerOptions]?: LocalServerOptions[K] | undefined };

const DEFAULTS = {
  port: 0,
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  overloadRate: 0,
  rate429: 0,
  hangRate: 0,
  dropRate: 0,
  badJsonRate: 0,
  seed: 1,
  echoKey: false,
  batchPolls: 1,
  batchDelayMs: 0,
  batchItemErrorRate: 0,
  batchExpire: false as boolean | number,
  promptCache: true,
  cacheMinTokens: 1024,
  cacheTtlMs: 300_000,
  recordRequests: false,
  now: () => Date.now(),
};

export function resolveOptions(o: OptionsPatch, base?: ResolvedOptions): ResolvedOptions {
  if (o.host !== undefined && o.host !== '127.0.0.1' && o.host !== 'localhost') {
    throw new UsageError(
      `the local server only listens on 127.0.0.1 (got host '${o.host}'); it is a test server and must not be reachable from the network`,
    );
  }
  const merged: Record<string, unknown> = { ...DEFAULTS, ...base };
  for (const [k, v] of Object.entries(o)) {
    if (k === 'host') continue;
    if (v !== undefined) merged[k] = v;
    else if (k in DEFAULTS) merged[k] = DEFAULTS[k as keyof typeof DEFAULTS];
    else delete merged[k];
  }
  const r = merged as ResolvedOptions;
  for (const k of RATES) {
    if (!(r[k] >= 0 && r[k] <= 1)) throw new UsageError(`${k} must be between 0 and 1 (got ${r[k]})`);
  }
  const faultSum = r.errorRate + r.overloadRate + r.rate429 + r.hangRate + r.dropRate;
  if (faultSum > 1) throw new UsageError(`the fault rates add up to ${faultSum}; their sum must be at most 1`);
  for (const k of ['latencyMs', 'jitterMs', 'port', 'batchDelayMs', 'cacheMinTokens'] as const) {
    if (!(Number.isFinite(r[k]) && r[k] >= 0)) throw new UsageError(`${k} must be a non-negative number (got ${r[k]})`);
  }
  if (r.rpm !== undefined && !(r.rpm > 0)) throw new UsageError(`rpm must be positive (got ${r.rpm})`);
  checkBatchAndCache(r);
  return r;
}

function checkBatchAndCache(r: ResolvedOptions): void {
  if (!(Number.isInteger(r.batchPolls) && r.batchPolls >= 0))
    throw new UsageError(`batchPolls must be a whole number ≥ 0 (got ${r.batchPolls})`);
  const e = r.batchExpire;
  if (typeof e !== 'boolean' && !(typeof e === 'number' && e >= 0 && e <= 1))
    throw new UsageError(`batchExpire must be true, false or a share between 0 and 1 (got ${String(e)})`);
  if (!(Number.isFinite(r.cacheTtlMs) && r.cacheTtlMs > 0)) throw new UsageError(`cacheTtlMs must be positive (got ${r.cacheTtlMs})`);
}
