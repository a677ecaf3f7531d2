import { exactKey, matchKey } from '../../../taxonomy/normalize.js';
import { ANTI_VALUES, USER_VALUE_PATTERNS } from './cues.js';
import type { Sentence } from './scan.js';

/** Longest value phrase, in words, the spotter looks for. */
const MAX_WORDS = 4;
const MAX_VALUES = 8;
const EVIDENCE_CHARS = 200;

/** Contexts in which a named value is not being held ("not about honesty", "regardless of fairness"). */
const DISMISSIVE =
  /\b(?:not about|isn't about|regardless of|irrespective of|lack of|no need for|instead of|rather than|less about)\s+(?:\S+\s+){0,1}$/i;

/**
 * A set of value phrases to look for, keyed the way exactKey normalises names (lower case, singular),
 * so "healthy boundaries" in a response finds the leaf "healthy boundaries" and "Transparency" finds "transparency".
 */
export class PhraseSet {
  private readonly byKey = new Map<string, string>();
  readonly hash: string;

  constructor(phrases: Iterable<string>) {
    for (const p of phrases) {
      if (ANTI_VALUES.has(p.toLowerCase())) continue;
      const key = exactKey(p);
      if (key && key.split(' ').length <= MAX_WORDS && !this.byKey.has(key)) this.byKey.set(key, p.toLowerCase());
    }
    this.hash = [...this.byKey.keys()].sort().join('|');
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Values named in the sentences, longest phrase first at each position, each once, with the sentence as evidence. */
  spot(list: Sentence[]): { name: string; evidence: string; explicit: true }[] {
    const found = new Map<string, string>();
    for (const s of list) {
      const words = matchKey(s.norm).split(' ');
      const keys = exactKey(s.norm).split(' ');
      for (let i = 0; i < keys.length && found.size < MAX_VALUES; ) {
        let step = 1;
        for (let n = Math.min(MAX_WORDS, keys.length - i); n >= 1; n--) {
          const name = this.byKey.get(keys.slice(i, i + n).join(' '));
          if (!name) continue;
          step = n;
          const before = `${words.slice(Math.max(0, i - 3), i).join(' ')} `;
          if (!DISMISSIVE.test(before) && !found.has(name)) found.set(name, evidence(s.text));
          break;
        }
        i += step;
      }
    }
    return [...found].map(([name, ev]) => ({ name, evidence: ev, explicit: true as const }));
  }
}

function evidence(text: string): string {
  return text.length <= EVIDENCE_CHARS ? text : `${text.slice(0, EVIDENCE_CHARS - 1)}…`;
}

/** Values the user states explicitly ("I value honesty", "my privacy matters to me"), 1-4 words, lower case. */
export function statedUserValues(userText: string): string[] {
  const out = new Set<string>();
  for (const { re, side } of USER_VALUE_PATTERNS) {
    for (const m of userText.matchAll(new RegExp(re.source, re.flags))) {
      const phrase = cleanPhrase(m[1] ?? '', side);
      if (phrase) out.add(phrase);
    }
  }
  return [...out];
}

function cleanPhrase(raw: string, side: 'after' | 'before'): string | null {
  const clauses = raw.split(/\b(?:and|but|so|because|which|that|when|if|more than|i|think|feel)\b/i);
  const words = matchKey((side === 'after' ? clauses[0] : clauses[clauses.length - 1]) ?? '')
    .split(' ')
    .filter((w) => w && !['my', 'our', 'the', 'a', 'an', 'being', 'having', 'really', 'very'].includes(w));
  if (words.length === 0 || words.length > 4) return null;
  return words.join(' ');
}
