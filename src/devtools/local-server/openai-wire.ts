import { openaiCachePlan } from './cache-plan.js';
import { type Answer, isRecord, type ParsedChat, parseMessages, type ServedIdentity, type VendorWire } from './wire.js';

const ERRORS: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
  500: { type: 'server_error', code: null },
  503: { type: 'server_error', code: 'service_unavailable' },
};

/** POST /v1/chat/completions in Chat Completions' response and error shapes. */
export const openaiWire: VendorWire = {
  requestIdHeader: 'x-request-id',
  overloadStatus: 503,

  parse(body) {
    if (!isRecord(body)) return 'body must be a JSON object';
    const { model, temperature, response_format: format } = body;
    if (typeof model !== 'string' || !model) return 'you must provide a model parameter';
    const parsed = parseMessages(body.messages, true);
    if (typeof parsed === 'string') return parsed;
    const limit = body.max_completion_tokens ?? body.max_tokens;
    let structured: ParsedChat['structured'];
    if (isRecord(format) && format.type === 'json_schema') {
      const js = format.json_schema;
      if (!isRecord(js) || typeof js.name !== 'string' || !isRecord(js.schema))
        return "response_format.json_schema needs 'name' and 'schema'";
      structured = { name: js.name, schema: js.schema };
    }
    return {
      model,
      structured,
      ...parsed,
      maxTokens: typeof limit === 'number' && limit > 0 ? limit : 4096,
      temperature: typeof temperature === 'number' ? temperature : undefined,
      cache: openaiCachePlan(model, parsed.system, format, body.prompt_cache_key),
    };
  },

  success(_req: ParsedChat, a: Answer, id: string, served: ServedIdentity) {
    const content = a.json !== undefined ? JSON.stringify(a.json) : a.text;
    return {
      id: `chatcmpl-${id}`,
      object: 'chat.completion',
      created: 1_700_000_000,
      model: served.model,
      system_fingerprint: served.fingerprint,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: null },
          logprobs: null,
          finish_reason: a.truncated ? 'length' : 'stop',
        },
      ],
      usage: {
        prompt_tokens: a.inputTokens,
        completion_tokens: a.outputTokens,
        total_tokens: a.inputTokens + a.outputTokens,
        prompt_tokens_details: { cached_tokens: a.cacheReadTokens ?? 0 },
      },
    };
  },

  error(status, message) {
    const e = ERRORS[status] ?? { type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null };
    return { error: { message, type: e.type, param: null, code: e.code } };
  },
};
