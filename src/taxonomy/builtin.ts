import { BUILTIN_CATEGORIES, BUILTIN_VERSION, TOP_LEVEL } from './builtin-data.js';
import type { TaxonomyNode, TaxonomyTree } from './tree.js';

/** Builds the built-in tree: 5 top-level categories, 26 second-level categories, their common leaves. */
export function builtinTree(): TaxonomyTree {
  const nodes: TaxonomyNode[] = [];
  const top = new Map<string, TaxonomyNode>();
  for (const t of TOP_LEVEL) {
    const node: TaxonomyNode = {
      id: `builtin:l3:${t.name}`,
      name: t.name,
      level: 3,
      description: t.description,
      pct: null,
      parent: null,
      children: [],
    };
    top.set(t.name, node);
    nodes.push(node);
  }
  for (const cat of BUILTIN_CATEGORIES) {
    const parent = top.get(cat.parent)!;
    const l2: TaxonomyNode = {
      id: `builtin:l2:${cat.name}`,
      name: cat.name,
      level: 2,
      description: cat.description,
      pct: null,
      parent,
      children: [],
    };
    parent.children.push(l2);
    nodes.push(l2);
    for (const leaf of cat.leaves) {
      const node: TaxonomyNode = { id: leaf, name: leaf, level: 0, description: '', pct: null, parent: l2, children: [] };
      l2.children.push(node);
      nodes.push(node);
    }
  }
  return { source: 'builtin', id: `builtin@${BUILTIN_VERSION}`, nodes };
}
