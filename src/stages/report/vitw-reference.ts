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

/** Matches "Practical", "practical values", "Practical values" to the same category. */
export function categoryKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/\s+values?$/, '');
}
