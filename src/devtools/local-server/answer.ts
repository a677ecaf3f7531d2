import type { StructuredRequest } from './options.js';
import { hashString, mulberry32 } from './random.js';
import { sampleFromSchema } from './schema-sample.js';
import { estimateTokens, syntheticAnswer } from './synthetic-answer.js';
import type { Answer, ParsedChat } from './wire.js';

/**
 * Builds the answer for a parsed request. Deterministic in (model, last user message, sample,
 * temperature); at temperature 0 the sample is ignored, as a greedy-decoding model would repeat itself.
 */
export function buildAnswer(req: ParsedChat, sample: string, badJson: boolean, responder?: (r: StructuredRequest) => unknown): Answer {
  const lastUser = [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const nonce = req.temperature === 0 ? '' : `${sample}|${req.temperature ?? ''}`;
  let inputChars = req.system.length;
  for (const m of req.messages) inputChars += m.content.length + 4;
  const inputTokens = Math.max(1, Math.ceil(inputChars / 4));
  const maxChars = req.maxTokens * 4;

  if (req.structured) {
    const rand = mulberry32(hashString(`${req.model}\u0000${req.structured.name}\u0000${lastUser}\u0000${nonce}`));
    const value = responder
      ? responder({
          schema: req.structured.schema,
          name: req.structured.name,
          messages: req.messages,
          system: req.system,
          model: req.model,
        })
      : sampleFromSchema(req.structured.schema, rand);
    let json: unknown = value;
    let text = JSON.stringify(value) ?? 'null';
    if (badJson) {
      if (rand() < 0.5) {
        json = undefined;
        text = text.slice(0, Math.max(1, Math.floor(text.length * 0.6)));
      } else json = schemaViolation(value, req.structured.schema);
    }
    if (text.length > maxChars) return { text: text.slice(0, maxChars), truncated: true, inputTokens, outputTokens: req.maxTokens };
    return { text, ...(json !== undefined ? { json } : {}), truncated: false, inputTokens, outputTokens: estimateTokens(text) };
  }

  const { text } = syntheticAnswer(req.model, lastUser, nonce, req.system);
  if (text.length > maxChars) return { text: text.slice(0, maxChars), truncated: true, inputTokens, outputTokens: req.maxTokens };
  return { text, truncated: false, inputTokens, outputTokens: estimateTokens(text) };
}

/** Well-formed JSON that breaks the schema: a required key removed, or the wrong type altogether. */
function schemaViolation(value: unknown, schema: Record<string, unknown>): unknown {
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  if (value && typeof value === 'object' && !Array.isArray(value) && required.length > 0) {
    const copy = { ...(value as Record<string, unknown>) };
    delete copy[required[0]!];
    copy.unexpected_field = 'not in the schema';
    return copy;
  }
  // No required key to drop: answer with the wrong type (an object schema gets an array, anything else an object).
  return schema.type === 'object' || schema.properties ? ['not', 'an', 'object'] : { unexpected_field: 'not in the schema' };
}
