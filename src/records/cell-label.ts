import { z } from 'zod';
import { RefusalSchema, ResponseTypeSchema } from './response-types.js';

/**
 * One line of labels.jsonl: a human label a run's cell came with, kept by `import --label-column`
 * so that `judge-check --run RUN` scores the run's judgments against it without a gold file.
 * Cells without a label have no line. `source` points back at the imported record.
 */
export const CellLabelSchema = z.strictObject({
  v: z.literal(1),
  cellId: z.string().min(1),
  responseType: ResponseTypeSchema.optional(),
  refusal: RefusalSchema.optional(),
  source: z.strictObject({
    /** The imported file (absolute path), its 1-based line and the column (CSV) or field (JSONL) read. */
    file: z.string(),
    line: z.number().int().positive(),
    column: z.string(),
    /** The value as written there, before mapping. */
    value: z.string(),
  }),
});
export type CellLabel = z.infer<typeof CellLabelSchema>;
