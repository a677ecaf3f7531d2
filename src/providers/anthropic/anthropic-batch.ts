import type Anthropic from '@anthropic-ai/sdk';
import type { MessageBatch } from '@anthropic-ai/sdk/resources/messages/batches';
import type { ModelSpec } from '../../config/model-schema.js';
import type { BatchItemResult, BatchModel, BatchRequestItem, BatchStatus, FoundBatch } from '../batch-model.js';
import type { ProviderDeps } from '../provider-deps.js';
import { type ErrorContext, normaliseSdkError } from '../provider-errors.js';
import { redactSecrets } from '../redact.js';
import { customIdOf, itemResult, missingFailure } from './anthropic-batch-map.js';
import { ANTHROPIC_ERROR_CLASSES, anthropicClient } from './anthropic-client.js';
import { toAnthropicParams } from './map-response.js';

/**
 * Anthropic Message Batches through the official SDK (maxRetries 0: the batch engine retries).
 * Each item's params are exactly what the single-request adapter sends, without the sample header
 * (batch items carry none; the sample travels in the custom id).
 */
export class AnthropicBatch implements BatchModel {
  readonly provider = 'anthropic';
  readonly modelId: string;
  // Decimal megabytes: below the vendor's limit however it counts them.
  readonly limits = { maxItems: 100_000, maxBytes: 256_000_000 };
  private readonly client: Anthropic;
  private readonly errCtx: ErrorContext;
  /** Items of the batches this process submitted (custom id -> structured tool name), for `results`. */
  private readonly submitted = new Map<string, Map<string, string | undefined>>();

  constructor(spec: ModelSpec, deps: ProviderDeps) {
    this.modelId = spec.model;
    ({ client: this.client, errCtx: this.errCtx } = anthropicClient(spec, deps));
  }

  async submit(items: readonly BatchRequestItem[], _tag: string, signal?: AbortSignal): Promise<{ id: string }> {
    const requests = items.map((it) => ({ custom_id: it.customId, params: toAnthropicParams(this.modelId, it.request) }));
    const batch = await this.call(() => this.client.messages.batches.create({ requests }, { signal: signal ?? null }), signal);
    this.submitted.set(batch.id, new Map(items.map((it) => [it.customId, it.request.structured?.name])));
    return { id: batch.id };
  }

  async retrieve(id: string, signal?: AbortSignal): Promise<BatchStatus> {
    return statusOf(await this.call(() => this.client.messages.batches.retrieve(id, null, { signal: signal ?? null }), signal));
  }

  async results(id: string, signal?: AbortSignal, expected?: readonly string[]): Promise<BatchItemResult[]> {
    const known = this.submitted.get(id);
    const scrub = (s: string): string => redactSecrets(s, this.errCtx.secrets);
    const byId = new Map<string, BatchItemResult>();
    let brokenAt: string | undefined;
    await this.call(async () => {
      const stream = await this.client.messages.batches.results(id, undefined, { signal: signal ?? null });
      try {
        for await (const line of stream) {
          const r = itemResult(line, known?.get(customIdOf(line) ?? ''), scrub);
          if (r && byId.get(r.customId)?.ok !== true) byId.set(r.customId, r);
        }
      } catch (err) {
        // A line that is not JSON ends the SDK's decoder; the items after it count as missing (and
        // are retried) rather than failing the whole batch. Network failures still propagate.
        if (!(err instanceof SyntaxError)) throw err;
        brokenAt = `the results stream broke off at a line that is not JSON (${scrub(err.message)})`;
      }
    }, signal);
    for (const customId of expected ?? known?.keys() ?? []) {
      if (!byId.has(customId)) byId.set(customId, { customId, ok: false, failure: missingFailure(brokenAt ?? `batch ${id} holds none`) });
    }
    return [...byId.values()];
  }

  async cancel(id: string, signal?: AbortSignal): Promise<void> {
    await this.call(() => this.client.messages.batches.cancel(id, null, { signal: signal ?? null }), signal);
  }

  /** No batch metadata on Anthropic: every batch of that size created since then may be it. */
  async findCandidates(_tag: string, since: string, items: number, signal?: AbortSignal): Promise<FoundBatch[]> {
    const found: FoundBatch[] = [];
    const from = Date.parse(since);
    await this.call(async () => {
      // The list is newest first: the first batch older than `since` ends the search.
      for await (const b of this.client.messages.batches.list({ limit: 100 }, { signal: signal ?? null })) {
        if (Date.parse(b.created_at) < from) break;
        const c = b.request_counts;
        if (c.processing + c.succeeded + c.errored + c.canceled + c.expired === items) found.push({ id: b.id, createdAt: b.created_at });
      }
    }, signal);
    return found;
  }

  private async call<T>(fn: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw normaliseSdkError(err, this.errCtx, ANTHROPIC_ERROR_CLASSES, signal);
    }
  }
}

function statusOf(b: MessageBatch): BatchStatus {
  const c = b.request_counts;
  return {
    id: b.id,
    state: b.processing_status,
    counts: { processing: c.processing, succeeded: c.succeeded, errored: c.errored, expired: c.expired, canceled: c.canceled },
    createdAt: b.created_at,
  };
}
