import { builtinTree } from './builtin.js';
import { loadPublishedTree } from './published-tree.js';
import { Taxonomy } from './taxonomy.js';

export interface LoadTaxonomyOptions {
  /** A local values_tree.csv (see `valuescope taxonomy pull`); the built-in tree when absent. */
  path?: string | undefined;
  /** Lexical similarity a match needs (config `taxonomy.threshold`). */
  threshold: number;
}

/** The published tree when a path is given, the built-in tree otherwise. */
export async function loadTaxonomy(options: LoadTaxonomyOptions): Promise<Taxonomy> {
  const tree = options.path ? await loadPublishedTree(options.path) : builtinTree();
  return new Taxonomy(tree, options.threshold);
}
