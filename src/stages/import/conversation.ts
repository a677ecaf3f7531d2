/** One conversation read from an import file, vendor shape removed. */
export interface ImportedConversation {
  /** 1-based line of the file where the conversation starts. */
  line: number;
  id?: string;
  domain?: string;
  model?: string;
  userValues?: string[];
  system?: string;
  /** The turns before the final assistant message (the request). */
  messages: { role: 'user' | 'assistant'; content: string }[];
  /** The final assistant message. */
  response: string;
  /** The raw value of the label column/field (`import --label-column`), when the record has one. */
  label?: string;
}

/** A record that could not be read: where, which field, what is wrong. */
export interface ImportProblem {
  line: number;
  field: string;
  message: string;
}

export type ImportItem = { ok: true; conversation: ImportedConversation } | { ok: false; problem: ImportProblem };

/** Splits turns into request and response; the last turn must be a non-empty assistant message after a user turn. */
export function splitTurns(
  line: number,
  turns: { role: 'user' | 'assistant'; content: string }[],
  field: string,
): { ok: true; messages: ImportedConversation['messages']; response: string } | { ok: false; problem: ImportProblem } {
  const last = turns[turns.length - 1];
  if (last?.role !== 'assistant') {
    return { ok: false, problem: { line, field, message: "the last message must be the assistant's response" } };
  }
  if (last.content.trim() === '')
    return { ok: false, problem: { line, field: `${field}[${turns.length - 1}].content`, message: 'the assistant response is empty' } };
  const messages = turns.slice(0, -1);
  if (!messages.some((m) => m.role === 'user'))
    return { ok: false, problem: { line, field, message: 'no user message before the response' } };
  return { ok: true, messages, response: last.content };
}

/** Optional metadata fields both JSONL shapes may carry alongside the messages. */
export function metadataOf(record: {
  id?: string | number | undefined;
  domain?: string | undefined;
  model?: string | undefined;
  userValues?: string[] | undefined;
  user_values?: string[] | undefined;
}): Partial<ImportedConversation> {
  const out: Partial<ImportedConversation> = {};
  if (record.id !== undefined) out.id = String(record.id);
  if (record.domain) out.domain = record.domain;
  if (record.model) out.model = record.model;
  const values = record.userValues ?? record.user_values;
  if (values) out.userValues = values;
  return out;
}
