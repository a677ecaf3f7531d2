export { builtinTree } from './builtin.js';
export { PUBLISHED_TREE_SHA256 } from './credit.js';
export { loadTaxonomy } from './load.js';
export { checkShares, loadPublishedTree, parsePublishedTree } from './published-tree.js';
export { type Coverage, Taxonomy } from './taxonomy.js';
export { resolveTaxonomyPath } from './taxonomy-path.js';
