import type { ChatCompletion } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { type BatchItemFailure, type BatchItemResult, batchedUsage } from '../batch-model.js';
import { completionResult } from './completion-result.js';

/** One line of a batch's output or error file (only the fields valuescope reads; the rest passes). */
const OutputLineSchema = z.object({
  custom_id: z.string(),
  response: z.object({ status_code: z.number().int(), request_id: z.string().nullish(), body: z.unknown() }).nullish(),
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});
type OutputLine = z.infer<typeof OutputLineSchema>;

/**
 * A chat completion as far as completionResult reads it; a body that lacks these fields is an
 * answer nobody can read (batch_missing, retried), never a crash halfway through a batch.
 */
const CompletionSchema = z.looseObject({
  id: z.string(),
  model: z.string(),
  system_fingerprint: z.string().nullish(),
  choices: z.array(
    z.looseObject({
      finish_reason: z.string().nullish(),
      message: z.looseObject({ content: z.string().nullish(), refusal: z.string().nullish() }),
    }),
  ),
  usage: z
    .looseObject({
      prompt_tokens: z.number(),
      completion_tokens: z.number(),
      prompt_tokens_details: z.looseObject({ cached_tokens: z.number().optional() }).nullish(),
    })
    .nullish(),
});

/** How the batch as a whole ended, which decides what an item without any line means. */
export interface BatchEnd {
  status: string;
  /** Set when the batch failed as a whole (its input was refused): why, and whether a new batch may pass. */
  failed?: { message: string; retryable: boolean } | undefined;
}

/**
 * The result of every expected item from the output and error files' text. An item without a line
 * failed with the batch, expired or was cancelled with it, or is missing; a line that does not parse
 * counts as missing. `scrub` removes secrets from every message taken from the vendor.
 */
export function parseOutputLines(
  text: string,
  expected: readonly string[],
  end: BatchEnd,
  scrub: (s: string) => string,
): BatchItemResult[] {
  const byId = new Map<string, BatchItemResult>();
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      continue;
    }
    const line = OutputLineSchema.safeParse(json);
    if (!line.success) continue;
    const r = resultOf(line.data, scrub);
    // An answer wins over an error line for the same item, whichever file comes first.
    if (byId.get(r.customId)?.ok !== true) byId.set(r.customId, r);
  }
  return expected.map((customId) => byId.get(customId) ?? { customId, ok: false, failure: absentFailure(end) });
}

function resultOf(line: OutputLine, scrub: (s: string) => string): BatchItemResult {
  const customId = line.custom_id;
  const res = line.response;
  if (res && res.status_code === 200 && !line.error) {
    const body = CompletionSchema.safeParse(res.body);
    if (!body.success) {
      return {
        customId,
        ok: false,
        failure: { kind: 'batch_missing', message: 'its output line holds no readable chat completion', retryable: true },
      };
    }
    const result = completionResult(body.data as unknown as ChatCompletion, 0, res.request_id);
    return { customId, ok: true, result: { ...result, usage: batchedUsage(result.usage) } };
  }
  return { customId, ok: false, failure: failureOf(line, scrub) };
}

function failureOf(line: OutputLine, scrub: (s: string) => string): BatchItemFailure {
  const code = line.error?.code ?? errorCodeOf(line.response?.body) ?? '';
  const status = line.response?.status_code;
  const text = line.error?.message ?? errorMessageOf(line.response?.body) ?? 'no message';
  const message = scrub(`${code || `status ${status ?? '?'}`}: ${text}`);
  if (code === 'batch_expired') return { kind: 'batch_expired', message, retryable: true };
  if (code === 'batch_cancelled' || code === 'batch_canceled') return { kind: 'batch_canceled', message, retryable: true };
  // A 4xx other than 408/409/429 is the request's own fault: the same request would fail again.
  const permanent = status !== undefined && status >= 400 && status < 500 && ![408, 409, 429].includes(status);
  return { kind: 'batch_errored', message, retryable: !permanent, status };
}

function errorOf(body: unknown): { message?: unknown; code?: unknown } | undefined {
  return (body as { error?: { message?: unknown; code?: unknown } } | null | undefined)?.error ?? undefined;
}

function errorMessageOf(body: unknown): string | undefined {
  const m = errorOf(body)?.message;
  return typeof m === 'string' ? m : undefined;
}

function errorCodeOf(body: unknown): string | undefined {
  const c = errorOf(body)?.code;
  return typeof c === 'string' ? c : undefined;
}

function absentFailure(end: BatchEnd): BatchItemFailure {
  if (end.failed) return { kind: 'batch_errored', ...end.failed };
  if (end.status === 'expired') return { kind: 'batch_expired', message: 'the batch expired before this request ran', retryable: true };
  if (end.status === 'cancelled')
    return { kind: 'batch_canceled', message: 'the batch was cancelled before this request ran', retryable: true };
  return { kind: 'batch_missing', message: 'the batch returned no result for this request', retryable: true };
}
