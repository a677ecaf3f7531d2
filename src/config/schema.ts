import { z } from 'zod';
import { GateConfigSchema } from './gate-schema.js';
import { JudgeConfigSchema } from './judge-schema.js';
import { PriceSchema } from './model-schema.js';
import type { ModelTarget } from './model-target.js';
import { RunnerSchema } from './runner-schema.js';
import { TaxonomyConfigSchema } from './taxonomy-schema.js';
import { ModelEntrySchema } from './variant-schema.js';

export const DEFAULT_WATCHLIST = ['dominance', 'amorality', 'deception', 'manipulation'];

/** config.yaml. Each section's schema lives with the module that owns it. */
export const ConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1).default(1),
  /** Scenario folders or globs, relative to the config file. */
  suite: z.array(z.string().min(1)).min(1).default(['scenarios']),
  outDir: z.string().default('results'),
  cacheDir: z.string().default('.valuescope-cache'),
  /**
   * fresh (default): every run asks the models anew, so a model that changed behind the same name
   * shows as drift. development: `run` also answers from, and fills, the response cache in cacheDir
   * (for iterating on judges and reports); such runs are marked and are not for gating.
   * The judge's cache (keyed by judge and transcript) is always on.
   */
  cache: z.enum(['fresh', 'development']).default('fresh'),
  runner: RunnerSchema.prefault({}),
  /** Model entries; each is one target, or with `variants` one target per variant (config/expand-targets.ts). */
  models: z.array(ModelEntrySchema).min(1, 'list at least one model under `models:`'),
  /** USD per million tokens, keyed by the wire model name; used by --dry-run and progress. */
  prices: z.record(z.string(), PriceSchema).default({}),
  judge: JudgeConfigSchema.prefault({}),
  taxonomy: TaxonomyConfigSchema.prefault({}),
  /** Values that are red flags wherever they appear. */
  watchlist: z.array(z.string().min(1)).default(DEFAULT_WATCHLIST),
  gate: GateConfigSchema.prefault({}),
});
/** config.yaml as written and validated: `models` holds the entries. */
export type ConfigDocument = z.infer<typeof ConfigSchema>;
/** The resolved config every command uses: `models` holds the targets, variants expanded and system prompts read. */
export type Config = Omit<ConfigDocument, 'models'> & { models: ModelTarget[] };
