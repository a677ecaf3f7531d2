import { z } from 'zod';
import { SpendSchema } from './spend.js';

export const ManifestSchema = z.object({
  v: z.literal(1),
  runId: z.string(),
  status: z.enum(['running', 'completed', 'completed_with_errors', 'interrupted', 'imported']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  harnessVersion: z.string(),
  configHash: z.string(),
  suiteHash: z.string(),
  /** Absolute path of the config file the run started with: `--resume` uses it unless given --config. */
  configFile: z.string().optional(),
  /** Scenario folders/files the suite was loaded from when not the config's `suite` (a custom pack via --scenarios DIR). */
  suitePaths: z.array(z.string()).optional(),
  /** Scenario ids and their hashes, so diffs can restrict to the shared ones. */
  scenarios: z.record(z.string(), z.string()),
  samples: z.number().int().positive(),
  /** Resolved parameters per target (never API keys or header values); older runs lack the variant, system and header fields. */
  models: z.array(
    z.object({
      id: z.string(),
      provider: z.string(),
      model: z.string(),
      baseURL: z.string().optional(),
      temperature: z.number().optional(),
      topP: z.number().optional(),
      maxTokens: z.number().int(),
      concurrency: z.number().int(),
      rpm: z.number().optional(),
      tpm: z.number().optional(),
      /** A variant target (`id` is `entry@variant`): its config entry and variant name. */
      entry: z.string().optional(),
      variant: z.string().optional(),
      /** sha256 of the target's resolved system prompt (never the text), when it has one. */
      systemHash: z.string().optional(),
      /** How that prompt combines with a scenario's own (`prepend` when absent); recorded with `systemHash`. */
      systemCombine: z.enum(['prepend', 'replace', 'refuse']).optional(),
      /** Extra HTTP header names (lower-cased, sorted) and sha256 of the sorted `name:value` lines; never the values. */
      headerNames: z.array(z.string()).optional(),
      headersHash: z.string().optional(),
    }),
  ),
  /** `run --shard i/n`: this run holds the i-th of n balanced parts of the plan (`valuescope merge` joins them). */
  shard: z.object({ index: z.number().int().positive(), count: z.number().int().positive() }).optional(),
  /** `sync` (one request per cell) or `batch` (providers' batch APIs); absent in older runs: sync. */
  mode: z.enum(['sync', 'batch']).optional(),
  /** Tokens and cost of the run so far, for the models and (when judged in the same process) the judge. */
  spend: SpendSchema.optional(),
  counts: z.object({
    planned: z.number().int().nonnegative(),
    done: z.number().int().nonnegative(),
    errored: z.number().int().nonnegative(),
  }),
  /** Free-form provenance, e.g. the import source or "synthetic: local server". */
  notes: z.array(z.string()).default([]),
});
export type Manifest = z.infer<typeof ManifestSchema>;
