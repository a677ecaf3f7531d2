import type { GenerateRequest, GenerateResult, Usage } from './language-model.js';

/**
 * The seam between valuescope's batch engine (calls/batch/) and a vendor's batch API: Anthropic
 * Message Batches and OpenAI Batch (files + /v1/batches on /v1/chat/completions). One attempt per
 * call, no retries (the engine retries); failures are thrown as ProviderError.
 */

/** One request of a batch. `customId` matches /^[A-Za-z0-9_-]{1,64}$/ (both vendors accept it). */
export interface BatchRequestItem {
  customId: string;
  request: Omit<GenerateRequest, 'signal' | 'batchKey'>;
}

type BatchState = 'in_progress' | 'canceling' | 'ended';

/** Item counts as the vendor reports them while a batch runs. */
export interface BatchCounts {
  processing: number;
  succeeded: number;
  errored: number;
  expired: number;
  canceled: number;
}

export interface BatchStatus {
  id: string;
  state: BatchState;
  counts: BatchCounts;
  /** ISO time the vendor created the batch. */
  createdAt?: string | undefined;
}

/** Why an item of an ended batch has no answer. `retryable` items go into a later batch. */
export interface BatchItemFailure {
  kind: 'batch_errored' | 'batch_expired' | 'batch_canceled' | 'batch_missing';
  message: string;
  retryable: boolean;
  status?: number | undefined;
}

export type BatchItemResult =
  | { customId: string; ok: true; result: GenerateResult }
  | { customId: string; ok: false; failure: BatchItemFailure };

/** A batch found on the vendor's side by the tag valuescope gave it (see `find`). */
export interface FoundBatch {
  id: string;
  createdAt?: string | undefined;
}

export interface BatchLimits {
  /** Requests per batch (Anthropic 100,000; OpenAI 50,000). */
  maxItems: number;
  /** Bytes of the serialised requests per batch (Anthropic 256 MB; OpenAI 200 MB file). */
  maxBytes: number;
}

export interface BatchModel {
  readonly provider: string;
  readonly modelId: string;
  readonly limits: BatchLimits;
  /**
   * Submits one batch. `tag` (letters, digits, '-', '_') is attached where the vendor allows
   * (OpenAI batch metadata; Anthropic has none, so `find` matches on time and size instead).
   */
  submit(items: readonly BatchRequestItem[], tag: string, signal?: AbortSignal): Promise<{ id: string }>;
  retrieve(id: string, signal?: AbortSignal): Promise<BatchStatus>;
  /**
   * The results of an ended batch, one per submitted item (missing items come back as `batch_missing`).
   * `expected` is the custom ids submitted: an adapter knows them for the batches it submitted itself,
   * a resumed process passes them from its journal (without them, OpenAI reads them from the batch's
   * input file, and Anthropic can return only the items its results hold).
   */
  results(id: string, signal?: AbortSignal, expected?: readonly string[]): Promise<BatchItemResult[]>;
  cancel(id: string, signal?: AbortSignal): Promise<void>;
  /**
   * After a crash between submitting and recording the batch id: the batches that may be the one
   * submitted with `tag`, created at or after `since` (ISO) and holding `items` requests. OpenAI
   * matches the tag in the batch metadata (at most one); Anthropic has no metadata, so every batch of
   * that size created since then is a candidate and the engine decides (docs/batch.md).
   */
  findCandidates(tag: string, since: string, items: number, signal?: AbortSignal): Promise<FoundBatch[]>;
}

/**
 * The custom id of item `index` of the batch tagged `tag`. It ends in `_s<sample>` so a server can
 * vary answers by sample as the `x-valuescope-sample` header does for single requests (batch items
 * carry no headers); the local test server reads it back with `sampleOfCustomId`.
 */
export function batchCustomId(tag: string, index: number, sample: number | undefined): string {
  return `${tag}_${index}${sample === undefined ? '' : `_s${sample}`}`;
}

export function sampleOfCustomId(customId: string): string {
  return /_s(\d+)$/.exec(customId)?.[1] ?? '';
}

/** The usage of a call that went through a batch API as a whole: all of it is `batched` (billed at the batch discount). */
export function batchedUsage(usage: Usage): Usage {
  const { inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens } = usage;
  const write = cacheWriteInputTokens === undefined ? {} : { cacheWriteInputTokens };
  return { ...usage, batched: { inputTokens, outputTokens, cachedInputTokens, ...write } };
}
