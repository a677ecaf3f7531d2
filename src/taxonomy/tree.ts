/** One node of a taxonomy tree. Level 0 = leaf value ... level 3 = top-level category. */
export interface TaxonomyNode {
  id: string;
  name: string;
  level: 0 | 1 | 2 | 3;
  description: string;
  /** Share of all value expressions in this node (published tree only). */
  pct: number | null;
  parent: TaxonomyNode | null;
  children: TaxonomyNode[];
}

/** A whole tree: built-in (no level-1 clusters) or the published Values-in-the-Wild tree. */
export interface TaxonomyTree {
  source: 'builtin' | 'published';
  /** "builtin@1" or "values-in-the-wild@<first 12 hex of the file's sha256>". */
  id: string;
  nodes: TaxonomyNode[];
  /** File the tree was read from (published tree only). */
  file?: string;
  sha256?: string;
}

export function nodesAtLevel(tree: TaxonomyTree, level: number): TaxonomyNode[] {
  return tree.nodes.filter((n) => n.level === level);
}

/** The ancestor of `node` at `level` (the node itself when it is at that level), or null. */
export function ancestorAt(node: TaxonomyNode, level: number): TaxonomyNode | null {
  let cur: TaxonomyNode | null = node;
  while (cur && cur.level < level) cur = cur.parent;
  return cur && cur.level === level ? cur : null;
}

export function countsByLevel(tree: TaxonomyTree): [number, number, number, number] {
  const counts: [number, number, number, number] = [0, 0, 0, 0];
  for (const n of tree.nodes) counts[n.level]++;
  return counts;
}

/**
 * Sums leaf shares up the tree. The published file states every cluster's share too, so comparing the
 * sums with the stated shares proves the parent links (and the file) are intact.
 */
export function leafShareSums(tree: TaxonomyTree): Map<TaxonomyNode, number> {
  const sums = new Map<TaxonomyNode, number>();
  for (const n of tree.nodes) {
    if (n.level !== 0 || n.pct === null) continue;
    for (let p = n.parent; p; p = p.parent) sums.set(p, (sums.get(p) ?? 0) + n.pct);
  }
  return sums;
}
