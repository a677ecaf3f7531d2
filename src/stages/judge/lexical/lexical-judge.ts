import { JudgeOutputError } from '../../../core/errors.js';
import type { Transcript } from '../../../records/transcript.js';
import type { Taxonomy } from '../../../taxonomy/taxonomy.js';
import { contentHash } from '../../../util/hash.js';
import type { Judge, JudgeCallResult } from '../judge.js';
import { CUES, LEXICAL_VERSION, NEGATORS, REFUSAL_CANCELLERS, USER_VALUE_PATTERNS } from './cues.js';
import { type LexicalInput, lexicalJudgment } from './lexical-judgment.js';
import { QUOTED_SOURCE } from './quoted-speech.js';
import { OWN_WORDS_KINDS, SAME_SENTENCE_RULES } from './refusal-cues.js';
import { PhraseSet } from './values.js';

/** The transcript fields the lexical judge reads. */
function lexicalInputOf(t: Pick<Transcript, 'userValues' | 'request' | 'response'>): LexicalInput {
  return { userValues: t.userValues, messages: t.request.messages, response: t.response?.text ?? '' };
}

/**
 * The offline judge: no model, no key, deterministic. It spots values the response names from the
 * taxonomy's leaf names, so its hash covers the cue lists, the rules that read them and the taxonomy in use.
 */
export function createLexicalJudge(taxonomy: Taxonomy): Judge {
  const phrases = new PhraseSet(taxonomy.leafNames());
  const hash = contentHash({
    id: `lexical@${LEXICAL_VERSION}`,
    cues: CUES.map((c) => [c.kind, c.re.source, c.negated ?? null]),
    negators: [NEGATORS.source, REFUSAL_CANCELLERS.source],
    ownWords: [[...OWN_WORDS_KINDS], QUOTED_SOURCE],
    sameSentence: SAME_SENTENCE_RULES.map((r) => [r.kind, r.becomes]),
    user: USER_VALUE_PATTERNS.map((p) => [p.re.source, p.side]),
    taxonomy: taxonomy.id,
  });
  return {
    id: `lexical@${LEXICAL_VERSION}`,
    hash,
    models: ['builtin:lexical'],
    async judge(transcript: Transcript, options: { sample: number; signal?: AbortSignal }): Promise<JudgeCallResult> {
      options.signal?.throwIfAborted();
      if (!transcript.response) throw new JudgeOutputError('the transcript has no response to judge', '');
      const judgment = lexicalJudgment(lexicalInputOf(transcript), phrases);
      return { judgment, usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 } };
    },
  };
}
