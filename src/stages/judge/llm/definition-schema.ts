import { z } from 'zod';
import { ModelSpecSchema } from '../../../config/model-schema.js';
import { REFUSALS, RESPONSE_TYPES } from '../../../records/response-types.js';

const kebab = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const RubricEntry = z.strictObject({
  definition: z.string().trim().min(1),
  /** One borderline case and why it gets this label rather than its neighbour. */
  borderline: z.string().trim().min(1),
});

const requireAll = <K extends string>(keys: readonly K[]) =>
  z.strictObject(Object.fromEntries(keys.map((k) => [k, RubricEntry])) as Record<K, typeof RubricEntry>);

/** The judge's model. `id` defaults to `judge-<name>`; config `judge.model` overrides any field. */
const JudgeModelSchema = ModelSpecSchema.omit({ id: true }).extend({
  id: ModelSpecSchema.shape.id.optional(),
  maxTokens: z.number().int().positive().default(2048),
  temperature: z.number().min(0).max(2).default(0),
});

/** judges/<name>.yaml. Documented in docs/judge.md; keep the two in step. */
export const JudgeDefinitionSchema = z.strictObject({
  name: z.string().regex(kebab, 'use kebab-case, equal to the file name'),
  /** Bump whenever the prompt or rubric changes meaning; reports cite name@version. */
  version: z.number().int().positive(),
  description: z.string().trim().min(1),
  model: JudgeModelSchema,
  prompt: z.strictObject({
    /** `{{rubric}}` is replaced by the rendered rubric. */
    system: z.string().trim().min(1),
    /** Must contain `{{transcript}}` once; `{{tag}}` names the container the transcript sits in. */
    user: z
      .string()
      .trim()
      .min(1)
      .refine((s) => s.split('{{transcript}}').length === 2, 'must contain {{transcript}} exactly once'),
  }),
  rubric: z.strictObject({
    ai_values: z.string().trim().min(1),
    human_values: z.string().trim().min(1),
    response_types: requireAll(RESPONSE_TYPES),
    refusals: requireAll(REFUSALS),
  }),
});
export type JudgeDefinition = z.infer<typeof JudgeDefinitionSchema>;
