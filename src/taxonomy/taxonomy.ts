import type { TaxonomyPath } from '../records/judgment.js';
import { exactKey, matchKey, singular, variantKeys } from './normalize.js';
import { ancestorAt, countsByLevel, type TaxonomyNode, type TaxonomyTree } from './tree.js';
import { contentWords, type Scored, trigrams, VectorIndex } from './vector-index.js';

export interface Coverage {
  total: number;
  exact: number;
  lexical: number;
  judge: number;
  unmapped: number;
  /** Share of names mapped by any method (0..1); 1 when there are no names. */
  share: number;
}

/** Cluster descriptions are long, so their cosine with a short name runs low; this weight makes it comparable. */
const DESCRIPTION_WEIGHT = 1.25;
const MEMO_LIMIT = 500_000;

/**
 * A loaded taxonomy and its matcher: exact after normalisation -> lexical nearest neighbour
 * (character-trigram TF-IDF cosine over leaf and cluster names, content-word cosine over cluster
 * descriptions) above `threshold` -> unmapped. Results are memoised per distinct name.
 */
export class Taxonomy {
  readonly id: string;
  readonly source: 'builtin' | 'published';
  private readonly exact = new Map<string, TaxonomyNode>();
  private readonly leafIndex: VectorIndex<TaxonomyNode>;
  private readonly nameIndex: VectorIndex<TaxonomyNode>;
  private readonly descIndex: VectorIndex<TaxonomyNode>;
  private readonly memo = new Map<string, TaxonomyPath>();
  /** Lookup by name: leaves and clusters apart, since a leaf may share a category's name. */
  private readonly leafByName = new Map<string, TaxonomyNode>();
  private readonly clusterByName = new Map<string, TaxonomyNode>();
  private readonly vocabulary = new Set<string>();

  constructor(
    readonly tree: TaxonomyTree,
    readonly threshold: number,
  ) {
    this.id = tree.id;
    this.source = tree.source;
    const leaves = tree.nodes.filter((n) => n.level === 0);
    const clusters = tree.nodes.filter((n) => n.level > 0);
    // Leaves win over clusters with the same key, and among leaves the more frequent one (or the first listed).
    const ordered = [...leaves.sort((a, b) => (b.pct ?? 0) - (a.pct ?? 0)), ...clusters.sort((a, b) => a.level - b.level)];
    for (const n of ordered) {
      const key = exactKey(n.name);
      if (!this.exact.has(key)) this.exact.set(key, n);
      for (const w of key.split(' ')) this.vocabulary.add(w);
      const byName = n.level === 0 ? this.leafByName : this.clusterByName;
      if (!byName.has(n.name.toLowerCase())) byName.set(n.name.toLowerCase(), n);
    }
    this.leafIndex = new VectorIndex(
      trigrams,
      leaves.map((n) => ({ text: exactKey(n.name), item: n })),
    );
    this.nameIndex = new VectorIndex(
      trigrams,
      clusters.map((n) => ({ text: exactKey(n.name), item: n })),
    );
    this.descIndex = new VectorIndex(
      contentWords(singular),
      clusters.map((n) => ({ text: matchKey(`${n.name} ${n.description}`), item: n })),
    );
  }

  /** Maps one extracted value name onto the tree. */
  match(name: string): TaxonomyPath {
    const hit = this.memo.get(name);
    if (hit) return hit;
    const path = this.compute(name);
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(name, path);
    return path;
  }

  private compute(name: string): TaxonomyPath {
    const key = exactKey(name);
    if (!key) return unmappedPath();
    for (const k of variantKeys(key, this.vocabulary)) {
      const node = this.exact.get(k);
      if (node) return this.pathOf(node, 'exact', 1);
    }
    const best = this.lexicalBest(key);
    if (best && best.score >= this.threshold) return this.pathOf(best.item, 'lexical', round(best.score));
    return unmappedPath();
  }

  private lexicalBest(key: string): Scored<TaxonomyNode> | undefined {
    const options = [
      this.leafIndex.search(key, 1)[0],
      this.nameIndex.search(key, 1)[0],
      ...this.descIndex.search(key, 1).map((s) => ({ item: s.item, score: Math.min(1, s.score * DESCRIPTION_WEIGHT) })),
    ].filter((s): s is Scored<TaxonomyNode> => s !== undefined);
    return options.sort((a, b) => b.score - a.score || a.item.level - b.item.level)[0];
  }

  /** Top-k leaves for a name, with scores: the candidate list for judge-assisted placement. */
  candidates(name: string, k: number): { leaf: string; path: TaxonomyPath; score: number }[] {
    const key = exactKey(name);
    if (!key) return [];
    const exactNode = variantKeys(key, this.vocabulary)
      .map((v) => this.exact.get(v))
      .find((n) => n?.level === 0);
    const found = this.leafIndex.search(key, k + 1).filter((s) => s.item !== exactNode);
    const list: Scored<TaxonomyNode>[] = exactNode ? [{ item: exactNode, score: 1 }, ...found] : found;
    return list
      .slice(0, k)
      .map((s) => ({ leaf: s.item.name, score: round(s.score), path: this.pathOf(s.item, 'lexical', round(s.score)) }));
  }

  /** The path of a named node (leaf or cluster), e.g. for a judge-assisted placement; null if the name is not in the tree. */
  placeAt(nodeName: string, method: TaxonomyPath['method'], score: number): TaxonomyPath | null {
    const node = this.lookup(nodeName, 'leaf');
    return node ? this.pathOf(node, method, score) : null;
  }

  /** Tally of how names were (or would be) mapped. Strings are matched; paths are counted as they are. */
  coverage(items: Iterable<string | TaxonomyPath>): Coverage {
    const c: Coverage = { total: 0, exact: 0, lexical: 0, judge: 0, unmapped: 0, share: 1 };
    for (const item of items) {
      const method = typeof item === 'string' ? this.match(item).method : item.method;
      c[method]++;
      c.total++;
    }
    c.share = c.total === 0 ? 1 : (c.total - c.unmapped) / c.total;
    return c;
  }

  /** Category names at a level (3 = top-level, 2 = second level, 1 = published level-1 clusters, 0 = leaves). */
  categories(level: 0 | 1 | 2 | 3): string[] {
    return this.tree.nodes.filter((n) => n.level === level).map((n) => n.name);
  }

  /**
   * The parent's name of a node (case-insensitive), or null at the top or when unknown. A name that is both
   * a category and a leaf ("Critical thinking") resolves to the category unless `prefer` is 'leaf'.
   */
  parentOf(name: string, prefer: 'cluster' | 'leaf' = 'cluster'): string | null {
    return this.lookup(name, prefer)?.parent?.name ?? null;
  }

  /** Top-level category of any node name (category first, then leaf). */
  topLevelOf(name: string): string | null {
    const node = this.lookup(name, 'cluster');
    return node ? (ancestorAt(node, 3)?.name ?? null) : null;
  }

  private lookup(name: string, prefer: 'cluster' | 'leaf'): TaxonomyNode | undefined {
    const key = name.trim().toLowerCase();
    return prefer === 'leaf'
      ? (this.leafByName.get(key) ?? this.clusterByName.get(key))
      : (this.clusterByName.get(key) ?? this.leafByName.get(key));
  }

  /** Leaf names, most frequent first for the published tree. */
  leafNames(): string[] {
    return this.tree.nodes.filter((n) => n.level === 0).map((n) => n.name);
  }

  counts(): { leaves: number; l1: number; l2: number; l3: number } {
    const [leaves, l1, l2, l3] = countsByLevel(this.tree);
    return { leaves, l1, l2, l3 };
  }

  private pathOf(node: TaxonomyNode, method: TaxonomyPath['method'], score: number): TaxonomyPath {
    return {
      leaf: node.level === 0 ? node.name : null,
      l1: ancestorAt(node, 1)?.name ?? null,
      l2: ancestorAt(node, 2)?.name ?? null,
      l3: ancestorAt(node, 3)?.name ?? null,
      method,
      score,
    };
  }
}

function unmappedPath(): TaxonomyPath {
  return { leaf: null, l1: null, l2: null, l3: null, method: 'unmapped', score: 0 };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
