import type { Message, MessageCreateParamsNonStreaming, StopReason } from '@anthropic-ai/sdk/resources/messages/messages';
import type { FinishReason, GenerateRequest, Usage } from '../language-model.js';

export function toAnthropicParams(model: string, req: GenerateRequest): MessageCreateParamsNonStreaming {
  const params: MessageCreateParamsNonStreaming = {
    model,
    max_tokens: req.maxTokens,
    messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
  };
  const cache = req.cachePrefix !== undefined;
  if (req.system !== undefined) {
    // The cached prefix is tools, then system: one breakpoint on the system block caches both.
    params.system = cache ? [{ type: 'text', text: req.system, cache_control: { type: 'ephemeral' } }] : req.system;
  }
  // SDK 1.12 no longer types sampling parameters (newer Claude models dropped them); older models
  // still take them, so they are sent only when the config sets them.
  const loose = params as unknown as Record<string, unknown>;
  if (req.temperature !== undefined) loose.temperature = req.temperature;
  if (req.topP !== undefined) loose.top_p = req.topP;
  if (req.structured) {
    const { name, description, schema } = req.structured;
    // Forced tool use is Anthropic's dependable way to get JSON that follows a schema. Without a
    // system block to carry the breakpoint, the tool itself ends the cached prefix.
    const breakpoint = cache && req.system === undefined ? { cache_control: { type: 'ephemeral' as const } } : {};
    params.tools = [
      { name, description: description ?? `Return the ${name} object.`, input_schema: { type: 'object', ...schema }, ...breakpoint },
    ];
    params.tool_choice = { type: 'tool', name };
  }
  return params;
}

export function mapStopReason(reason: StopReason | null, structured: boolean): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      // A forced tool call is how a structured answer finishes normally.
      return structured ? 'stop' : 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'other';
  }
}

/**
 * Input tokens include cache reads and writes, so `inputTokens` means the same as OpenAI's
 * prompt_tokens; the two cache counts are the subsets priced apart (reads cheaper, writes dearer).
 */
export function mapUsage(usage: Message['usage']): Usage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  return {
    inputTokens: usage.input_tokens + cacheRead + cacheWrite,
    outputTokens: usage.output_tokens,
    cachedInputTokens: cacheRead,
    cacheWriteInputTokens: cacheWrite,
  };
}

/** The answer text: the forced tool's input as JSON for structured requests, else the text blocks joined. */
export function extractText(msg: Message, structuredName: string | undefined, warnings: string[]): string {
  if (structuredName !== undefined) {
    const tool = msg.content.find((b) => b.type === 'tool_use' && b.name === structuredName);
    if (tool && tool.type === 'tool_use') return JSON.stringify(tool.input);
    warnings.push(`model did not call the ${structuredName} tool; returning its text for the caller to repair`);
  }
  return msg.content
    .filter((b) => b.type === 'text')
    .map((b) => (b.type === 'text' ? b.text : ''))
    .join('');
}
