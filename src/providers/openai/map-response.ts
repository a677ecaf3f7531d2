import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { FinishReason, GenerateRequest, GenerateResult, Usage } from '../language-model.js';

/**
 * `officialApi` picks the token-limit field: api.openai.com wants max_completion_tokens (o-series
 * and gpt-5 reject max_tokens), while many OpenAI-compatible servers only know max_tokens.
 */
export function toOpenAIParams(model: string, req: GenerateRequest, officialApi: boolean): ChatCompletionCreateParamsNonStreaming {
  const messages: ChatCompletionMessageParam[] = [];
  if (req.system !== undefined) messages.push({ role: 'system', content: req.system });
  for (const m of req.messages) messages.push({ role: m.role, content: m.content });
  const params: ChatCompletionCreateParamsNonStreaming = { model, messages };
  if (officialApi) params.max_completion_tokens = req.maxTokens;
  else params.max_tokens = req.maxTokens;
  if (req.temperature !== undefined) params.temperature = req.temperature;
  if (req.topP !== undefined) params.top_p = req.topP;
  if (req.structured) {
    const { name, description, schema } = req.structured;
    params.response_format = {
      type: 'json_schema',
      json_schema: { name, schema, strict: true, ...(description !== undefined ? { description } : {}) },
    };
  }
  // OpenAI caches long prefixes by itself; the key routes requests sharing a prefix to the same
  // cache shard, which raises the hit rate. Compatible servers ignore fields they do not know.
  if (req.cachePrefix) params.prompt_cache_key = req.cachePrefix.cacheKey;
  return params;
}

export function mapFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content_filter';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    default:
      return 'other';
  }
}

/** prompt_tokens already includes cached tokens; cached_tokens is the discounted subset. */
export function mapUsage(usage: ChatCompletion['usage']): Usage {
  return {
    inputTokens: usage?.prompt_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
    cachedInputTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
  };
}

/** The served model and backend fingerprint the response reports (compatible servers may send neither). */
export function servedOf(data: Pick<ChatCompletion, 'model' | 'system_fingerprint'>): Pick<GenerateResult, 'served'> {
  if (!data.model) return {};
  return { served: { model: data.model, ...(data.system_fingerprint ? { fingerprint: data.system_fingerprint } : {}) } };
}
