import type OpenAI from 'openai';
import { toFile } from 'openai';
import type { Batch } from 'openai/resources/batches';
import type { ModelSpec } from '../../config/model-schema.js';
import { ProviderError } from '../../core/errors.js';
import type { BatchItemResult, BatchModel, BatchRequestItem, BatchStatus, FoundBatch } from '../batch-model.js';
import type { ProviderDeps } from '../provider-deps.js';
import { type ErrorContext, normaliseSdkError } from '../provider-errors.js';
import { redactSecrets } from '../redact.js';
import { type BatchEnd, parseOutputLines } from './batch-output.js';
import { toOpenAIParams } from './map-response.js';
import { OPENAI_ERROR_CLASSES, openaiClient } from './openai-client.js';

const ENDED = new Set(['completed', 'failed', 'expired', 'cancelled']);

/**
 * Codes of a failed batch that a later batch may pass: the organisation's queue of batch tokens
 * was full. Any other code is a refused input file, which the same requests would meet again.
 */
const TRANSIENT_BATCH_ERRORS = new Set(['token_limit_exceeded', 'rate_limit_exceeded']);

/**
 * OpenAI Batch through the official SDK: the requests go up as a JSONL file (`files.create`,
 * purpose batch), the batch runs on /v1/chat/completions, and the output and error files come back
 * as JSONL. The batch carries valuescope's tag in its metadata, so a crashed submit can be found.
 */
export class OpenAIBatch implements BatchModel {
  readonly provider = 'openai';
  readonly modelId: string;
  // Decimal megabytes: below the vendor's limit however it counts them.
  readonly limits = { maxItems: 50_000, maxBytes: 200_000_000 };
  private readonly client: OpenAI;
  private readonly errCtx: ErrorContext;
  private readonly officialApi: boolean;
  /** Custom ids of the batches this process submitted, for `results`. */
  private readonly submitted = new Map<string, string[]>();

  constructor(spec: ModelSpec, deps: ProviderDeps) {
    this.modelId = spec.model;
    ({ client: this.client, errCtx: this.errCtx, officialApi: this.officialApi } = openaiClient(spec, deps));
  }

  /** Uploads the JSONL input file, then creates the batch; no sample header (it travels in the custom id). */
  async submit(items: readonly BatchRequestItem[], tag: string, signal?: AbortSignal): Promise<{ id: string }> {
    const lines = items.map((it) =>
      JSON.stringify({
        custom_id: it.customId,
        method: 'POST',
        url: '/v1/chat/completions',
        body: toOpenAIParams(this.modelId, it.request, this.officialApi),
      }),
    );
    const opts = { signal: signal ?? null };
    const file = await this.call(
      async () =>
        this.client.files.create(
          { file: await toFile(Buffer.from(`${lines.join('\n')}\n`), 'valuescope-batch.jsonl'), purpose: 'batch' },
          opts,
        ),
      signal,
    );
    const batch = await this.call(
      () =>
        this.client.batches.create(
          { input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { valuescope_tag: tag } },
          opts,
        ),
      signal,
    );
    this.submitted.set(
      batch.id,
      items.map((it) => it.customId),
    );
    return { id: batch.id };
  }

  async retrieve(id: string, signal?: AbortSignal): Promise<BatchStatus> {
    return statusOf(await this.call(() => this.client.batches.retrieve(id, { signal: signal ?? null }), signal));
  }

  async results(id: string, signal?: AbortSignal, expected?: readonly string[]): Promise<BatchItemResult[]> {
    const batch = await this.call(() => this.client.batches.retrieve(id, { signal: signal ?? null }), signal);
    if (!ENDED.has(batch.status)) {
      // Without this check a running batch would read as all items missing, and be submitted again.
      throw new ProviderError(`openai batch ${id} is still ${batch.status}; its results exist once it has ended`, {
        kind: 'internal',
        retryable: true,
      });
    }
    const read = async (fileId: string | null | undefined): Promise<string> =>
      fileId ? this.call(async () => (await this.client.files.content(fileId, { signal: signal ?? null })).text(), signal) : '';
    const text = `${await read(batch.output_file_id)}\n${await read(batch.error_file_id)}`;
    const ids = expected ?? this.submitted.get(id) ?? (await this.inputIds(batch, signal));
    const scrub = (m: string): string => redactSecrets(m, this.errCtx.secrets);
    return parseOutputLines(text, ids, endOf(batch, scrub), scrub);
  }

  async cancel(id: string, signal?: AbortSignal): Promise<void> {
    await this.call(() => this.client.batches.cancel(id, { signal: signal ?? null }), signal);
  }

  async findCandidates(tag: string, since: string, _items: number, signal?: AbortSignal): Promise<FoundBatch[]> {
    const found: FoundBatch[] = [];
    const from = Date.parse(since) / 1000;
    await this.call(async () => {
      for await (const b of this.client.batches.list({ limit: 100 }, { signal: signal ?? null })) {
        if (b.created_at < from) break;
        if (b.metadata?.valuescope_tag === tag) found.push({ id: b.id, createdAt: new Date(b.created_at * 1000).toISOString() });
      }
    }, signal);
    return found;
  }

  /** A batch submitted by an earlier process: its items are the custom ids of its input file. */
  private async inputIds(batch: Batch, signal: AbortSignal | undefined): Promise<string[]> {
    const text = await this.call(
      async () => (await this.client.files.content(batch.input_file_id, { signal: signal ?? null })).text(),
      signal,
    );
    const ids: string[] = [];
    for (const line of text.split('\n')) {
      try {
        const id = (JSON.parse(line) as { custom_id?: unknown } | null)?.custom_id;
        if (typeof id === 'string') ids.push(id);
      } catch {
        // Not a request line (a blank or torn one): it names no item.
      }
    }
    return ids;
  }

  private async call<T>(fn: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw normaliseSdkError(err, this.errCtx, OPENAI_ERROR_CLASSES, signal);
    }
  }
}

/**
 * OpenAI counts only completed and failed items, and `failed` holds every unanswered item,
 * expired and cancelled ones too. The batch's own end decides what they are called: in an expired
 * (cancelled) batch every unanswered item counts as expired (canceled); each item's exact fate
 * comes with `results`. A failed batch (input refused) has all its items errored.
 */
function statusOf(b: Batch): BatchStatus {
  const c = b.request_counts ?? { total: 0, completed: 0, failed: 0 };
  const ended = ENDED.has(b.status);
  const open = Math.max(0, c.total - c.completed - c.failed);
  const unanswered = ended ? c.total - c.completed : c.failed;
  const fate = ended && b.status !== 'completed' ? b.status : 'errored';
  return {
    id: b.id,
    state: ended ? 'ended' : b.status === 'cancelling' ? 'canceling' : 'in_progress',
    counts: {
      processing: ended ? 0 : open,
      succeeded: c.completed,
      errored: fate === 'errored' || fate === 'failed' ? Math.max(0, unanswered) : 0,
      expired: fate === 'expired' ? Math.max(0, unanswered) : 0,
      canceled: fate === 'cancelled' ? Math.max(0, unanswered) : 0,
    },
    createdAt: new Date(b.created_at * 1000).toISOString(),
  };
}

/** How the batch ended; for a batch that failed as a whole (its input refused), why and whether a new batch may pass. */
function endOf(b: Batch, scrub: (s: string) => string): BatchEnd {
  if (b.status !== 'failed') return { status: b.status };
  const errors = b.errors?.data ?? [];
  const why = errors.map((e) => `${e.code ?? 'error'}: ${e.message ?? ''}`).join('; ');
  const retryable = errors.length > 0 && errors.every((e) => TRANSIENT_BATCH_ERRORS.has(e.code ?? ''));
  return { status: b.status, failed: { message: scrub(`the batch failed: ${why || 'no reason given'}`), retryable } };
}
