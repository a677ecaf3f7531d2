import { z } from 'zod';
import { ModelSpecSchema } from './model-schema.js';

/**
 * How a target's system prompt meets a scenario's own top-level `system:`. prepend (default): the
 * target's prompt, a blank line, then the scenario's; replace: the target's only; refuse: a scenario
 * that sets its own is an error when the run is planned.
 */
const SYSTEM_COMBINE = ['prepend', 'replace', 'refuse'] as const;
export type SystemCombine = (typeof SYSTEM_COMBINE)[number];

const SystemTextSchema = z
  .string()
  .refine((s) => s.trim() !== '', 'an empty system prompt: write the prompt, or remove the field')
  .describe('system prompt sent with every scenario of this target (see systemCombine)');
const SystemFileSchema = z
  .string()
  .min(1)
  .describe('file holding the system prompt, relative to the config file (read when the config loads; exclusive with system)');
const SystemCombineSchema = z
  .enum(SYSTEM_COMBINE)
  .describe("how the system prompt combines with a scenario's own `system:`: prepend (default), replace, refuse");

/** Variant names become part of target ids (`entry@name`), file names and cell ids. */
const VARIANT_NAME = /^[A-Za-z0-9._-]+$/;
export const VARIANT_NAME_RULE = 'use letters, digits, dot, underscore or hyphen (it names the target `ENTRY_ID@NAME`)';

/** One named set of overrides of a model entry; each field replaces the entry's (headers merge over them). */
const VariantSchema = z.strictObject({
  system: SystemTextSchema.optional(),
  systemFile: SystemFileSchema.optional(),
  systemCombine: SystemCombineSchema.optional(),
  temperature: ModelSpecSchema.shape.temperature,
  topP: ModelSpecSchema.shape.topP,
  maxTokens: z.number().int().positive().optional(),
  model: ModelSpecSchema.shape.model.optional(),
  headers: ModelSpecSchema.shape.headers.describe("extra HTTP headers, merged over the entry's (the variant wins per header name)"),
});
export type Variant = z.infer<typeof VariantSchema>;

/**
 * A `models:` entry of config.yaml: a model spec plus a system prompt and named variants. An entry
 * with variants expands into one target per variant (`id@name`) and is not a target itself
 * (config/expand-targets.ts). Judge models use ModelSpecSchema and take none of these fields.
 */
export const ModelEntrySchema = ModelSpecSchema.extend({
  system: SystemTextSchema.optional(),
  systemFile: SystemFileSchema.optional(),
  systemCombine: SystemCombineSchema.optional(),
  variants: z
    .record(z.string().regex(VARIANT_NAME, VARIANT_NAME_RULE), VariantSchema)
    .refine((v) => Object.keys(v).length > 0, 'list at least one variant under `variants:`, or remove the key')
    .optional()
    .describe('named overrides; each becomes a target `id@name` and the entry itself is not run (add `base: {}` to also run it as is)'),
});
export type ModelEntry = z.infer<typeof ModelEntrySchema>;
