import { type Transcript, TranscriptSchema } from '../../records/transcript.js';
import { contentHash } from '../../util/hash.js';
import { readJsonl } from '../../util/jsonl.js';
import type { ChatMessage } from '../language-model.js';

export type ReplayEntry = NonNullable<Transcript['response']> & { cellId: string; sample: number };

/**
 * The lookup key: exactly what the model saw (system text and messages) plus the sample index, so
 * an edited scenario misses instead of replaying a stale answer, and samples stay distinct.
 */
export function replayKey(system: string | undefined, messages: readonly ChatMessage[], sample: number): string {
  return contentHash({ system: system ?? null, messages: messages.map((m) => ({ role: m.role, content: m.content })), sample });
}

/** Successful answers of one model in a run, streamed from its transcripts.jsonl. A later line wins (resumed runs). */
export async function loadReplayIndex(
  file: string,
  modelId: string,
): Promise<{ entries: Map<string, ReplayEntry>; modelsSeen: Set<string> }> {
  const entries = new Map<string, ReplayEntry>();
  const modelsSeen = new Set<string>();
  for await (const { value: t } of readJsonl(file, TranscriptSchema)) {
    modelsSeen.add(t.modelId);
    if (t.modelId !== modelId || t.response === null || t.error !== null) continue;
    entries.set(replayKey(t.request.system, t.request.messages, t.sample), { ...t.response, cellId: t.cellId, sample: t.sample });
  }
  return { entries, modelsSeen };
}
