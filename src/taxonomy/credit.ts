/** Attribution every report that shows the taxonomy's names must print. */
export const TAXONOMY_CREDIT =
  'Values in the Wild taxonomy, Anthropic (Huang et al. 2025), CC BY 4.0 — https://huggingface.co/datasets/Anthropic/values-in-the-wild';

/** Official source of the published tree (Hugging Face dataset Anthropic/values-in-the-wild). */
export const PUBLISHED_TREE_URL = 'https://huggingface.co/datasets/Anthropic/values-in-the-wild/resolve/main/values_tree.csv';

/** sha256 of the official values_tree.csv (3,604 rows, 440,693 bytes), measured with sha256sum. */
export const PUBLISHED_TREE_SHA256 = '73b133464fd5b495c0cfefad5d0361a90fe1e7dda33ecb9a791a590dc3bd3af6';

/** Row counts per level (0 leaf ... 3 top-level) of the published tree. */
export const PUBLISHED_COUNTS = [3307, 266, 26, 5] as const;
