import { anthropicCachePlan } from './cache-plan.js';
import { type Answer, contentText, isRecord, type ParsedChat, parseMessages, type ServedIdentity, type VendorWire } from './wire.js';

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** POST /v1/messages in the Messages API's response and error shapes. */
export const anthropicWire: VendorWire = {
  requestIdHeader: 'request-id',
  overloadStatus: 529,

  parse(body) {
    if (!isRecord(body)) return 'body must be a JSON object';
    const { model, max_tokens: maxTokens, temperature, tools, tool_choice: toolChoice } = body;
    if (typeof model !== 'string' || !model) return 'model: Field required';
    if (typeof maxTokens !== 'number' || maxTokens < 1) return 'max_tokens: Field required';
    const parsed = parseMessages(body.messages, false);
    if (typeof parsed === 'string') return parsed;
    let structured: ParsedChat['structured'];
    if (isRecord(toolChoice) && toolChoice.type === 'tool' && Array.isArray(tools)) {
      const tool = tools.find((t) => isRecord(t) && t.name === toolChoice.name);
      if (!isRecord(tool) || !isRecord(tool.input_schema))
        return `tool_choice names tool ${JSON.stringify(toolChoice.name)} that is not in tools`;
      structured = { name: String(tool.name), schema: tool.input_schema };
    }
    return {
      model,
      maxTokens,
      structured,
      ...parsed,
      system: contentText(body.system),
      temperature: typeof temperature === 'number' ? temperature : undefined,
      cache: anthropicCachePlan(model, tools, body.system),
    };
  },

  success(req: ParsedChat, a: Answer, id: string, served: ServedIdentity) {
    const toolCall = req.structured !== undefined && a.json !== undefined;
    const content = toolCall
      ? [{ type: 'tool_use', id: `toolu_${id}`, name: req.structured!.name, input: a.json }]
      : [{ type: 'text', text: a.text, citations: null }];
    return {
      id: `msg_${id}`,
      type: 'message',
      role: 'assistant',
      model: served.model,
      content,
      stop_reason: a.truncated ? 'max_tokens' : toolCall ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage: anthropicUsage(a),
    };
  },

  error(status, message) {
    return { type: 'error', error: { type: ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'), message } };
  },
};

/** input_tokens counts only what was neither read from nor written to the cache, as the Messages API reports it. */
function anthropicUsage(a: Answer) {
  const read = a.cacheReadTokens ?? 0;
  const write = a.cacheWriteTokens ?? 0;
  return {
    input_tokens: a.inputTokens - read - write,
    output_tokens: a.outputTokens,
    cache_creation_input_tokens: write,
    cache_read_input_tokens: read,
    cache_creation: { ephemeral_5m_input_tokens: write, ephemeral_1h_input_tokens: 0 },
    service_tier: 'standard',
  };
}
