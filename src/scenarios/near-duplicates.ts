import type { Scenario } from './schema.js';

export interface NearDuplicate {
  a: string;
  b: string;
  similarity: number;
}

/** Default Jaccard threshold on word 3-gram shingles; see docs/scenario-format.md for how it was chosen. */
export const NEAR_DUPLICATE_THRESHOLD = 0.35;

/**
 * Pairs of scenarios whose user text is nearly the same: Jaccard similarity of word 3-gram shingles.
 * Shingles catch reworded copies (same sentences, names swapped) that a whole-text hash misses, and
 * stay cheap: a 250-scenario suite is ~31k pair checks on small sets.
 */
export function findNearDuplicates(scenarios: readonly Scenario[], threshold = NEAR_DUPLICATE_THRESHOLD): NearDuplicate[] {
  const sets = scenarios.map((s) =>
    shingles(
      s.messages
        .filter((m) => m.role === 'user')
        .map((m) => m.content)
        .join(' '),
    ),
  );
  const out: NearDuplicate[] = [];
  for (let i = 0; i < scenarios.length; i++) {
    for (let j = i + 1; j < scenarios.length; j++) {
      const sim = shingleSimilarity(sets[i]!, sets[j]!);
      if (sim >= threshold) out.push({ a: scenarios[i]!.id, b: scenarios[j]!.id, similarity: sim });
    }
  }
  return out.sort((x, y) => y.similarity - x.similarity);
}

function shingles(text: string, n = 3): Set<string> {
  const words = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}\s']/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const out = new Set<string>();
  if (words.length < n) {
    if (words.length > 0) out.add(words.join(' '));
    return out;
  }
  for (let i = 0; i + n <= words.length; i++) out.add(words.slice(i, i + n).join(' '));
  return out;
}

/**
 * Jaccard index of two texts' word shingles. Two empty texts are not near-duplicates of each other
 * (0): there is nothing in common to flag.
 */
function shingleSimilarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let inter = 0;
  for (const x of small) if (large.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}
