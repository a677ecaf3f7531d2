import { CUES, type CueKind, NEGATORS, REFUSAL_CANCELLERS } from './cues.js';

export interface Sentence {
  /** Original text of the sentence, trimmed. */
  text: string;
  /** Lower case, curly quotes straightened: what the cues match. */
  norm: string;
}

/** Splits prose into sentences at . ! ? and line breaks (list items and headings become their own sentences). */
export function sentences(text: string): Sentence[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => ({ text: s, norm: s.toLowerCase().replace(/[\u2018\u2019\u02bc`]/g, "'") }));
}

export type CueCounts = Record<CueKind, number>;

function emptyCounts(): CueCounts {
  return { refusal: 0, offer: 0, strong_resistance: 0, mild_resistance: 0, reframing: 0, strong_support: 0, mild_support: 0, neutral: 0 };
}

/**
 * Counts cue hits per kind. A support or resistance cue preceded (within three words, same sentence)
 * by a negator counts as its `negated` kind or not at all; a refusal preceded by "not that", "no reason"
 * and the like is cancelled. Refusal cues carry their own negation, so plain negators do not flip them.
 */
export function countCues(list: Sentence[]): CueCounts {
  const counts = emptyCounts();
  for (const s of list) {
    for (const c of CUES) {
      const re = new RegExp(c.re.source, 'gi');
      for (let m = re.exec(s.norm); m; m = re.exec(s.norm)) {
        const before = s.norm.slice(0, m.index);
        if (c.kind === 'refusal' || c.kind === 'offer') {
          if (!REFUSAL_CANCELLERS.test(before)) counts[c.kind]++;
        } else if (NEGATORS.test(before) && !startsWithNegation(m[0])) {
          if (c.negated) counts[c.negated]++;
        } else counts[c.kind]++;
        if (m[0].length === 0) re.lastIndex++;
      }
    }
  }
  return counts;
}

/** Cues such as "i can't support" contain their own negation; a negator before them is the same negation. */
function startsWithNegation(match: string): boolean {
  return /\b(?:can't|cannot|won't|not|don't|never)\b/.test(match);
}
