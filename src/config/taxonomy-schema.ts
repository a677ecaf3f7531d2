import { z } from 'zod';

export const TaxonomyConfigSchema = z.strictObject({
  /** A local copy of the published values_tree.csv (see `valuescope taxonomy pull`). Built-in tree when absent. */
  path: z.string().optional(),
  /** Lexical nearest-neighbour similarity a match needs (0..1); below it a value is unmapped. */
  threshold: z.number().min(0).max(1).default(0.5),
  /** Ask the judge model to place values the lexical matcher could not, among the top-k candidates. */
  judgeAssisted: z.boolean().default(false),
  topK: z.number().int().positive().max(20).default(5),
});
export type TaxonomyConfig = z.infer<typeof TaxonomyConfigSchema>;
