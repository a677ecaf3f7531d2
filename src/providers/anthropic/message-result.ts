import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';
import type { GenerateResult } from '../language-model.js';
import { extractText, mapStopReason, mapUsage } from './map-response.js';

/** A Messages API answer as a GenerateResult: one mapping for single requests and batch results. */
export function messageResult(data: Message, structured: string | undefined, latencyMs: number, requestId?: string | null): GenerateResult {
  const warnings: string[] = [];
  return {
    text: extractText(data, structured, warnings),
    finishReason: mapStopReason(data.stop_reason, structured !== undefined),
    usage: mapUsage(data.usage),
    latencyMs,
    ...(requestId ? { requestId } : {}),
    ...(data.model ? { served: { model: data.model } } : {}),
    warnings,
    providerMetadata: { stopReason: data.stop_reason, servedModel: data.model, messageId: data.id, rawUsage: data.usage },
  };
}
