export { builtinTree } from './builtin.js';
export { PUBLISHED_TREE_SHA256, PUBLISHED_TREE_URL, TAXONOMY_CREDIT } from './credit.js';
export { type LoadTaxonomyOptions, loadTaxonomy } from './load.js';
export { checkShares, loadPublishedTree, parsePublishedTree, type ShareCheck } from './published-tree.js';
export { type Coverage, Taxonomy, unmappedPath } from './taxonomy.js';
export type { TaxonomyNode, TaxonomyTree } from './tree.js';
