import { z } from 'zod';
import { ResponseTypeSchema } from '../records/response-types.js';

const kebab = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const Turn = z.union([
  z.strictObject({ user: z.string().trim().min(1, 'a user turn needs text') }),
  z.strictObject({ assistant: z.string().trim().min(1, 'an assistant turn needs text') }),
]);

/** One scenario file. The format is documented in docs/scenario-format.md; keep the two in step. */
export const ScenarioSchema = z.strictObject({
  id: z.string().regex(kebab, 'use kebab-case: lower-case letters, digits and single hyphens'),
  domain: z.string().regex(kebab, 'use kebab-case, equal to the folder name'),
  title: z.string().trim().min(1),
  system: z.string().trim().min(1).optional(),
  turns: z.array(Turn).min(1, 'a scenario needs at least one user turn'),
  user_values: z.array(z.string().trim().min(1).max(60)).default([]),
  expect: z.array(ResponseTypeSchema).min(1).optional(),
  tags: z.array(z.string().regex(kebab, 'tags are kebab-case')).default([]),
});
export type ScenarioFile = z.infer<typeof ScenarioSchema>;

/** A loaded, validated scenario with normalised turns. */
export interface Scenario {
  id: string;
  domain: string;
  title: string;
  system?: string;
  messages: { role: 'user' | 'assistant'; content: string }[];
  userValues: string[];
  expect?: string[];
  tags: string[];
  /** Path relative to the suite root, for error messages and reports. */
  file: string;
  /** sha256 of the canonical JSON of the validated scenario. */
  hash: string;
}
