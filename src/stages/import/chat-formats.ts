import { z } from 'zod';
import { type ImportItem, metadataOf, splitTurns } from './conversation.js';

// Loose objects: production logs carry extra fields (usage, timestamps, tool calls) that import ignores.
const Meta = {
  id: z.union([z.string(), z.number()]).optional(),
  domain: z.string().optional(),
  model: z.string().optional(),
  userValues: z.array(z.string()).optional(),
  user_values: z.array(z.string()).optional(),
};

const OpenAIPart = z.looseObject({ type: z.string(), text: z.string().optional() });
const OpenAIMessage = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(OpenAIPart), z.null()]).optional(),
});
const OpenAILine = z.looseObject({ ...Meta, messages: z.array(OpenAIMessage).min(1, 'messages is empty') });

const AnthropicBlock = z.looseObject({ type: z.string(), text: z.string().optional() });
const AnthropicLine = z.looseObject({
  ...Meta,
  system: z.union([z.string(), z.array(AnthropicBlock)]).optional(),
  messages: z
    .array(z.looseObject({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(AnthropicBlock)]) }))
    .min(1, 'messages is empty'),
});

export type ChatFormat = 'openai' | 'anthropic';

/** Text of a content value: a string, or the text parts of a parts/blocks array (images and tool calls are skipped). */
function textOf(content: string | { type: string; text?: string | undefined }[] | null | undefined): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content
    .filter((p) => (p.type === 'text' || p.type === 'input_text' || p.type === 'output_text') && typeof p.text === 'string')
    .map((p) => p.text)
    .join('\n');
}

/** A label field's value as text; null when absent, a problem message when it is not a scalar. */
function labelField(raw: unknown, field: string | undefined): string | null | { message: string } {
  if (field === undefined || raw === null || typeof raw !== 'object') return null;
  const v = (raw as Record<string, unknown>)[field];
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return { message: 'the label must be a string or a number' };
}

/** Parses one JSONL line in the given vendor shape into a conversation or a located problem. */
export function parseChatLine(format: ChatFormat, text: string, line: number, labelName?: string): ImportItem {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, problem: { line, field: '(line)', message: `not valid JSON (${(e as Error).message})` } };
  }
  const label = labelField(raw, labelName);
  if (label !== null && typeof label === 'object') return { ok: false, problem: { line, field: labelName!, ...label } };
  const meta = (rec: Parameters<typeof metadataOf>[0]) => ({ ...metadataOf(rec), ...(label !== null ? { label } : {}) });
  const schema = format === 'openai' ? OpenAILine : AnthropicLine;
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    return { ok: false, problem: { line, field: issue.path.join('.') || '(record)', message: issue.message } };
  }
  if (format === 'openai') {
    const rec = r.data as z.infer<typeof OpenAILine>;
    const system = rec.messages
      .filter((m) => m.role === 'system' || m.role === 'developer')
      .map((m) => textOf(m.content))
      .join('\n');
    const turns = rec.messages
      .filter((m): m is typeof m & { role: 'user' | 'assistant' } => m.role === 'user' || m.role === 'assistant')
      .map((m) => ({ role: m.role, content: textOf(m.content) }))
      // Assistant turns that only called tools carry no text; they are not part of the conversation we judge.
      .filter((m, i, all) => m.content !== '' || i === all.length - 1);
    return finish(line, turns, system, meta(rec));
  }
  const rec = r.data as z.infer<typeof AnthropicLine>;
  const turns = rec.messages.map((m) => ({ role: m.role, content: textOf(m.content) }));
  return finish(line, turns, rec.system === undefined ? '' : textOf(rec.system), meta(rec));
}

function finish(line: number, turns: { role: 'user' | 'assistant'; content: string }[], system: string, meta: object): ImportItem {
  const split = splitTurns(line, turns, 'messages');
  if (!split.ok) return split;
  return { ok: true, conversation: { line, ...meta, ...(system ? { system } : {}), messages: split.messages, response: split.response } };
}
