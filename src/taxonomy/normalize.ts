/**
 * Normalisation for the exact-match step. A name is lower-cased, folded and singularised word by word;
 * when that key is not in the taxonomy, each word's noun/adjective variants are tried ("honest" ~
 * "honesty", "transparent" ~ "transparency", "fair" ~ "fairness"). Variants only count when the
 * resulting key is a real taxonomy name, so the rules can be generous without inventing matches.
 */

/** Pairs the suffix rules cannot reach; used in both directions. */
const IRREGULAR: [string, string][] = [
  ['clear', 'clarity'],
  ['humble', 'humility'],
  ['precise', 'precision'],
  ['compassionate', 'compassion'],
  ['empathetic', 'empathy'],
  ['empathic', 'empathy'],
  ['autonomous', 'autonomy'],
  ['just', 'justice'],
  ['wise', 'wisdom'],
  ['true', 'truth'],
  ['private', 'privacy'],
  ['respectful', 'respect'],
  ['rigorous', 'rigor'],
  ['rigour', 'rigor'],
  ['humour', 'humor'],
  ['humorous', 'humor'],
  ['honour', 'honor'],
  ['behaviour', 'behavior'],
  ['organisation', 'organization'],
  ['optimisation', 'optimization'],
  ['ethical', 'ethics'],
  ['healthy', 'health'],
  ['safe', 'safety'],
  ['creative', 'creativity'],
  ['cautious', 'caution'],
  ['innovative', 'innovation'],
  ['collaborative', 'collaboration'],
  ['pragmatic', 'pragmatism'],
  ['professional', 'professionalism'],
  ['loyal', 'loyalty'],
  ['free', 'freedom'],
  ['equal', 'equality'],
  ['inclusive', 'inclusivity'],
];
const IRREGULAR_MAP = new Map<string, string[]>();
for (const [a, b] of IRREGULAR) {
  IRREGULAR_MAP.set(a, [...(IRREGULAR_MAP.get(a) ?? []), b]);
  IRREGULAR_MAP.set(b, [...(IRREGULAR_MAP.get(b) ?? []), a]);
}

/** [suffix, replacement]: adjective -> noun and noun -> adjective; applied once to each word. */
const SUFFIX_SWAPS: [string, string][] = [
  ['able', 'ability'],
  ['ible', 'ibility'],
  ['ive', 'ivity'],
  ['ive', 'iveness'],
  ['ous', 'osity'],
  ['ous', 'ousness'],
  ['ent', 'ence'],
  ['ent', 'ency'],
  ['ant', 'ance'],
  ['ant', 'ancy'],
  ['ate', 'acy'],
  ['al', 'ality'],
  ['ful', 'fulness'],
  ['e', 'ity'],
  ['e', 'ety'],
  ['ic', 'ism'],
];

/**
 * The key a name is looked up by in the taxonomy: lower case, Unicode-folded, hyphens, underscores and
 * slashes as spaces, apostrophes and other punctuation dropped, whitespace collapsed. Looser than
 * `normaliseValueName` (records/value-name.ts), which is the identity a name is stored and compared by;
 * this key is only for matching and is never stored.
 */
export function matchKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2010-\u2015_/\\-]+/g, ' ')
    .replace(/['\u2019`]/g, '')
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function singular(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is|ics)$/.test(word)) return word;
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

/** The exact-step key: normalised, every word singular. */
export function exactKey(name: string): string {
  return matchKey(name).split(' ').filter(Boolean).map(singular).join(' ');
}

/** Noun/adjective variants of one (singular) word, itself first. */
function wordVariants(word: string): string[] {
  const out = new Set<string>([word]);
  for (const v of IRREGULAR_MAP.get(word) ?? []) out.add(v);
  if (word.length > 3) {
    out.add(`${word}ness`);
    out.add(`${word}y`);
    out.add(`${word}ity`);
    if (word.endsWith('ness')) out.add(word.slice(0, -4));
    if (word.endsWith('y')) out.add(word.slice(0, -1));
    if (word.endsWith('ity')) out.add(word.slice(0, -3));
    for (const [adj, noun] of SUFFIX_SWAPS) {
      if (word.endsWith(adj)) out.add(word.slice(0, -adj.length) + noun);
      if (word.endsWith(noun)) out.add(word.slice(0, -noun.length) + adj);
    }
  }
  return [...out];
}

/**
 * Keys to try for a multi-word name, the unchanged key first. With `vocabulary` (every word of every
 * taxonomy name) only variants that are real words are combined, so a name with an unknown word costs nothing.
 */
export function variantKeys(key: string, vocabulary?: ReadonlySet<string>, cap = 64): string[] {
  let acc: string[] = [''];
  for (const word of key.split(' ')) {
    const forms = vocabulary ? wordVariants(word).filter((v) => vocabulary.has(v)) : wordVariants(word);
    if (forms.length === 0) return [];
    const next: string[] = [];
    for (const prefix of acc) {
      for (const v of forms) {
        if (next.length >= cap) break;
        next.push(prefix ? `${prefix} ${v}` : v);
      }
    }
    acc = next;
  }
  return acc;
}
