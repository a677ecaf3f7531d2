import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The published Values-in-the-Wild tree, shared by the taxonomy tests. */
export const TREE_CSV = path.resolve(repoRoot, '../shared/data/values-in-the-wild/values_tree.csv');
