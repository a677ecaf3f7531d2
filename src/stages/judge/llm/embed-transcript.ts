import type { Transcript } from '../../../records/transcript.js';

/**
 * Injection defence. The conversation is embedded as one JSON document inside a tag whose name
 * carries a random per-call nonce. JSON encoding puts the whole payload on one line, and '<', '>'
 * and '&' are written as \u escapes, so no text in the conversation can form a tag, let alone the
 * closing tag, even one that guesses the nonce. The
 * prompt tells the judge that everything inside the tag is data to be rated, never instructions.
 */
export interface EmbeddedConversation {
  system: string | null;
  /** The conversation up to, but not including, the response being judged. */
  conversation: { role: 'user' | 'assistant'; content: string }[];
  /** The final assistant response: the only text whose values are extracted. */
  final_response: string;
}

export function conversationOf(t: Pick<Transcript, 'request' | 'response'>): EmbeddedConversation {
  return {
    system: t.request.system ?? null,
    conversation: t.request.messages.map((m) => ({ role: m.role, content: m.content })),
    final_response: t.response?.text ?? '',
  };
}

function containerTag(nonce: string): string {
  return `transcript-${nonce}`;
}

/** JSON with every character that could start or end markup escaped; JSON.parse reads it back unchanged. */
export function encodePayload(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Wraps the encoded conversation in its nonce-named container. */
export function embedConversation(conv: EmbeddedConversation, nonce: () => string): { block: string; tag: string } {
  const payload = encodePayload(conv);
  // With '<' and '>' escaped the payload cannot hold a tag; checked anyway in case encodePayload ever changes.
  const closes = (n: string): boolean => payload.includes(`</${containerTag(n)}>`) || payload.includes(`<${containerTag(n)}>`);
  let n = nonce();
  for (let i = 0; closes(n) && i < 16; i++) n = nonce();
  if (closes(n)) throw new Error('could not pick a container nonce: the transcript contains the container tag');
  const tag = containerTag(n);
  return { block: `<${tag}>\n${payload}\n</${tag}>`, tag };
}

/**
 * Reads the embedded conversation back out of a prompt: the inverse of embedConversation. Used by
 * the tests (and the local server's demo responder) to check the payload stayed inside its container.
 */
export function extractConversation(prompt: string): { conversation: EmbeddedConversation; tag: string } | null {
  const open = /<(transcript-[0-9a-f]{8,})>\n/.exec(prompt);
  if (!open?.[1]) return null;
  const tag = open[1];
  const start = open.index + open[0].length;
  const end = prompt.indexOf(`\n</${tag}>`, start);
  if (end === -1) return null;
  try {
    return { conversation: JSON.parse(prompt.slice(start, end)) as EmbeddedConversation, tag };
  } catch {
    return null;
  }
}
