/**
 * Published Values in the Wild top-level (level-3) category shares of all AI value expressions,
 * in percent (Huang et al. 2025, Anthropic, dataset CC BY 4.0). Five figures, kept as constants.
 */
export const VITW_CATEGORY_SHARES: readonly { name: string; percent: number }[] = [
  { name: 'Practical values', percent: 31.426 },
  { name: 'Epistemic values', percent: 22.203 },
  { name: 'Social values', percent: 21.41 },
  { name: 'Protective values', percent: 13.862 },
  { name: 'Personal values', percent: 11.099 },
];

export const VITW_LABEL = 'Values in the Wild (Claude.ai, Feb 2025)';

/** Matches "Practical", "practical values", "Practical values" to the same category. */
export function categoryKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/\s+values?$/, '');
}

/** Published response-type shares of all subjective conversations, in percent (same source). */
export const VITW_RESPONSE_TYPE_SHARES = {
  strong_support: 28.2,
  mild_support: 14.5,
  neutral_acknowledgment: 9.6,
  reframing: 6.6,
  mild_resistance: 2.4,
  strong_resistance: 3.0,
  no_values: 35.7,
} as const;
