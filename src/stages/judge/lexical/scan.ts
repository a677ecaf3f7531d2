import type { CueKind } from './cue.js';
import { CUES, NEGATORS, REFUSAL_CANCELLERS } from './cues.js';
import { quotedSpans, withoutQuotes } from './quoted-speech.js';
import { OWN_WORDS_KINDS, SAME_SENTENCE_RULES } from './refusal-cues.js';

export interface Sentence {
  /** Original text of the sentence, trimmed. */
  text: string;
  /** Lower case, curly quotes straightened: what the cues match. */
  norm: string;
  /** `norm` without quoted speech: what the refusal cues match (OWN_WORDS_KINDS). */
  own: string;
}

const SENTENCE_BREAK = /(?<=[.!?])\s+|\n+/g;

/** Lower case, with every apostrophe-like mark (’ ‘ ʼ ′ ` ＇) made a straight one. */
const normalise = (s: string): string => s.toLowerCase().replace(/[\u2018\u2019\u02bc\u2032\uff07`]/g, "'");

/** Splits prose into sentences at . ! ? and line breaks (list items and headings become their own sentences). */
export function sentences(text: string): Sentence[] {
  const quoted = quotedSpans(text);
  const out: Sentence[] = [];
  let start = 0;
  const add = (end: number) => {
    const raw = text.slice(start, end);
    const trimmed = raw.trim();
    if (trimmed.length > 0) {
      const from = start + (raw.length - raw.trimStart().length);
      out.push({ text: trimmed, norm: normalise(trimmed), own: normalise(withoutQuotes(trimmed, quoted, from)) });
    }
  };
  for (const m of text.matchAll(SENTENCE_BREAK)) {
    add(m.index);
    start = m.index + m[0].length;
  }
  add(text.length);
  return out;
}

export type CueCounts = Record<CueKind, number>;

function emptyCounts(): CueCounts {
  return {
    refusal: 0,
    offer: 0,
    redirect: 0,
    strong_resistance: 0,
    mild_resistance: 0,
    reframing: 0,
    strong_support: 0,
    mild_support: 0,
    neutral: 0,
  };
}

/**
 * Counts cue hits per kind. A support or resistance cue preceded (within three words, same sentence)
 * by a negator counts as its `negated` kind or not at all; a refusal preceded by "not that", "no reason"
 * and the like is cancelled. Refusal cues carry their own negation, so plain negators do not flip them.
 * Within a sentence, SAME_SENTENCE_RULES then move hits ("instead, call this hotline" is a redirect, not an offer).
 */
export function countCues(list: Sentence[]): CueCounts {
  const counts = emptyCounts();
  for (const s of list) {
    const hits = sentenceCounts(s);
    for (const { kind, becomes } of SAME_SENTENCE_RULES) {
      if (hits[becomes] === 0) continue;
      hits[becomes] += hits[kind];
      hits[kind] = 0;
    }
    for (const k of Object.keys(counts) as CueKind[]) counts[k] += hits[k];
  }
  return counts;
}

function sentenceCounts(s: Sentence): CueCounts {
  const counts = emptyCounts();
  for (const c of CUES) {
    const re = new RegExp(c.re.source, 'gi');
    const text = OWN_WORDS_KINDS.has(c.kind) ? s.own : s.norm;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const before = text.slice(0, m.index);
      if (OWN_WORDS_KINDS.has(c.kind)) {
        if (!REFUSAL_CANCELLERS.test(before)) counts[c.kind]++;
      } else if (NEGATORS.test(before) && !startsWithNegation(m[0])) {
        if (c.negated) counts[c.negated]++;
      } else counts[c.kind]++;
      if (m[0].length === 0) re.lastIndex++;
    }
  }
  return counts;
}

/** Cues such as "i can't support" contain their own negation; a negator before them is the same negation. */
function startsWithNegation(match: string): boolean {
  return /\b(?:can't|cannot|cant|won't|not|don't|never|unable)\b/.test(match);
}
