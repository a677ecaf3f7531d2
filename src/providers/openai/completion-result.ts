import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { FinishReason, GenerateResult } from '../language-model.js';
import { mapFinishReason, mapUsage, servedOf } from './map-response.js';

/** A Chat Completions answer as a GenerateResult: one mapping for single requests and batch results. */
export function completionResult(data: ChatCompletion, latencyMs: number, requestId?: string | null): GenerateResult {
  const warnings: string[] = [];
  const choice = data.choices[0];
  let text = choice?.message.content ?? '';
  let finishReason: FinishReason = mapFinishReason(choice?.finish_reason);
  const refusal = choice?.message.refusal;
  if (refusal) {
    // Structured-output refusals come back here instead of in content.
    text = text || refusal;
    finishReason = 'content_filter';
    warnings.push('model refused (message.refusal set)');
  }
  if (!choice) warnings.push('response had no choices');
  return {
    text,
    finishReason,
    usage: mapUsage(data.usage),
    latencyMs,
    ...(requestId ? { requestId } : {}),
    ...servedOf(data),
    warnings,
    providerMetadata: {
      finishReason: choice?.finish_reason ?? null,
      servedModel: data.model,
      completionId: data.id,
      systemFingerprint: data.system_fingerprint ?? null,
    },
  };
}
