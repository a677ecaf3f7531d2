import type { GenerateRequest } from '../providers/language-model.js';

/**
 * Input tokens estimated as characters / 4 (the usual rule of thumb for English with BPE
 * tokenizers), plus a few tokens of per-message framing. Used only for the dry-run plan and to
 * reserve tokens in the limiter before the provider reports real usage.
 */
export function estimateInputTokens(request: Pick<GenerateRequest, 'system' | 'messages'>): number {
  let chars = request.system?.length ?? 0;
  for (const m of request.messages) chars += m.content.length;
  return Math.ceil(chars / 4) + 4 * request.messages.length + (request.system ? 4 : 0);
}

/** Share of maxTokens a typical answer uses; the dry run shows it next to the maxTokens upper bound. */
export const TYPICAL_OUTPUT_SHARE = 0.4;
