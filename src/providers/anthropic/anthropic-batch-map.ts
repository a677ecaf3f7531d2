import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';
import { z } from 'zod';
import { type BatchItemFailure, type BatchItemResult, batchedUsage } from '../batch-model.js';
import { messageResult } from './message-result.js';

/**
 * Error types of an errored item that the same request would meet again, so retrying it in a later
 * batch only spends money: the request itself, the key, or the model name is wrong.
 */
const PERMANENT = new Set(['invalid_request_error', 'authentication_error', 'permission_error', 'not_found_error', 'request_too_large']);

/** HTTP status the same error type has on the Messages API, so the engine can log it like a single request's. */
const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/**
 * Only the fields the mapping reads are checked (the rest passes): a line that lacks them is an
 * answer nobody can read, which becomes `batch_missing` instead of a crash halfway through a batch.
 */
const MessageShape = z.looseObject({
  id: z.string(),
  content: z.array(z.looseObject({ type: z.string() })),
  stop_reason: z.string().nullable(),
  usage: z.looseObject({ input_tokens: z.number(), output_tokens: z.number() }),
});
const LineSchema = z.object({
  custom_id: z.string(),
  result: z.discriminatedUnion('type', [
    z.object({ type: z.literal('succeeded'), message: MessageShape }),
    z.object({
      type: z.literal('errored'),
      error: z.object({ error: z.object({ type: z.string(), message: z.string().optional() }).loose() }).loose(),
    }),
    z.object({ type: z.literal('expired') }),
    z.object({ type: z.literal('canceled') }),
  ]),
});

/** The custom id of a decoded results line, when it has one (even if the rest of the line is unreadable). */
export function customIdOf(line: unknown): string | undefined {
  const id = (line as { custom_id?: unknown } | null)?.custom_id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * One line of a batch's results as an item result. `structured` is the forced tool's name the item
 * was submitted with (undefined: not structured, or submitted by an earlier process; then a
 * tool_use block in the answer names it, since valuescope offers tools only for structured output).
 */
export function itemResult(raw: unknown, structured: string | undefined, scrub: (s: string) => string): BatchItemResult | undefined {
  const parsed = LineSchema.safeParse(raw);
  if (!parsed.success) {
    const customId = customIdOf(raw);
    return customId === undefined ? undefined : { customId, ok: false, failure: missingFailure('its results line is malformed') };
  }
  const { custom_id: customId, result: r } = parsed.data;
  switch (r.type) {
    case 'succeeded': {
      // The schema above checked what messageResult reads; the rest is the SDK's own Message shape.
      const message = r.message as unknown as Message;
      const result = messageResult(message, structured ?? toolNameOf(message), 0);
      return { customId, ok: true, result: { ...result, usage: batchedUsage(result.usage) } };
    }
    case 'errored': {
      const { type, message } = r.error.error;
      const failure: BatchItemFailure = {
        kind: 'batch_errored',
        message: scrub(`${type}: ${message ?? 'no message'}`),
        retryable: !PERMANENT.has(type),
        status: STATUS_OF_TYPE[type],
      };
      return { customId, ok: false, failure };
    }
    case 'expired':
      return {
        customId,
        ok: false,
        failure: { kind: 'batch_expired', message: 'the batch expired before this request ran', retryable: true },
      };
    case 'canceled':
      return {
        customId,
        ok: false,
        failure: { kind: 'batch_canceled', message: 'the batch was canceled before this request ran', retryable: true },
      };
  }
}

function toolNameOf(msg: Message): string | undefined {
  if (msg.stop_reason !== 'tool_use') return undefined;
  const tool = msg.content.find((b) => b.type === 'tool_use');
  return tool?.type === 'tool_use' ? tool.name : undefined;
}

export function missingFailure(why: string): BatchItemFailure {
  return { kind: 'batch_missing', message: `no usable result for this request: ${why}`, retryable: true };
}
