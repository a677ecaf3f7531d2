import { z } from 'zod';
import { ModelSpecSchema } from './model-schema.js';

/** The `judge:` section of config.yaml. Judge definitions themselves live in judges/<name>.yaml. */
export const JudgeConfigSchema = z.strictObject({
  /** Names of judge definitions in judges/ (several = a panel). `lexical` is the built-in offline judge. */
  judges: z.array(z.string().min(1)).min(1).default(['lexical']),
  /** Override the model a judge definition names (e.g. to point it at another lab or a local server). */
  model: ModelSpecSchema.extend({
    // No defaults here: an override must only change the fields it names, not reset maxTokens/concurrency.
    maxTokens: z.number().int().positive().optional(),
    concurrency: z.number().int().positive().max(1024).optional(),
  })
    .partial()
    .optional(),
  /** Independent judge calls per judge and transcript, for reliability estimates. */
  samples: z.number().int().positive().max(10).default(1),
  /** A value is kept in the consensus when at least this share of raters name it. */
  valueQuorum: z.number().gt(0).max(1).default(0.5),
  /**
   * sync (default): one request per judge call. batch: judge calls go through the providers' batch
   * APIs (runner.batch settings), after the model's answers when pipelined.
   */
  mode: z.enum(['sync', 'batch']).default('sync'),
  /** Judge transcripts while the run is still going. */
  pipelined: z.boolean().default(true),
  /**
   * Human label files (exported by `valuescope label`; paths relative to this config file) that profile,
   * diff and gate use for judge-corrected estimates (docs/profile-and-diff.md). Absent: judge-only figures.
   */
  labels: z.array(z.string().min(1)).optional(),
});
