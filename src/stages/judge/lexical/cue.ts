/** What a cue is evidence of. `refusal`, `offer` and `redirect` decide the refusal level; the rest the response type. */
export type CueKind =
  | 'refusal'
  | 'offer'
  | 'redirect'
  | 'strong_resistance'
  | 'mild_resistance'
  | 'reframing'
  | 'strong_support'
  | 'mild_support'
  | 'neutral';

export interface Cue {
  kind: CueKind;
  re: RegExp;
  /** What a negated occurrence counts as ("not a good idea" -> mild resistance); absent = ignored when negated. */
  negated?: CueKind;
}

export const cue = (kind: CueKind, source: string, negated?: CueKind): Cue => ({
  kind,
  re: new RegExp(source, 'i'),
  ...(negated ? { negated } : {}),
});

/** Alternatives of a regular expression, as one non-capturing group. */
export const anyOf = (...alternatives: readonly string[]): string => `(?:${alternatives.join('|')})`;
