export { loadTaxonomy, type LoadTaxonomyOptions } from './load.js';
export { Taxonomy, unmappedPath, type Coverage } from './taxonomy.js';
export { TAXONOMY_CREDIT, PUBLISHED_TREE_URL, PUBLISHED_TREE_SHA256 } from './credit.js';
export { loadPublishedTree, parsePublishedTree, checkShares, type ShareCheck } from './published-tree.js';
export { builtinTree } from './builtin.js';
export type { TaxonomyNode, TaxonomyTree } from './tree.js';
