import { z } from 'zod';
import { didYouMean } from '../config/suggest.js';
import { ResponseTypeSchema } from '../records/response-types.js';

const kebab = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const TURN_SHAPE = 'each turn is one list item with one key: `- user: <text>` or `- assistant: <text>`';

/** What is wrong with a turn that is neither `{user}` nor `{assistant}`, and what is allowed instead. */
function turnHint(input: unknown): string {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return `a turn must be a mapping: ${TURN_SHAPE}`;
  const keys = Object.keys(input);
  if (keys.includes('system')) {
    return `a turn cannot be \`system\`: put the system prompt in the scenario's top-level \`system:\` field; ${TURN_SHAPE}`;
  }
  if (keys.length === 0) return `empty turn: ${TURN_SHAPE}`;
  if (keys.length > 1) {
    return `a turn has exactly one key, but this one has ${keys.length} (${keys.map((k) => `\`${k}\``).join(', ')}): make each its own list item; ${TURN_SHAPE}`;
  }
  const key = keys[0] ?? '';
  if (key === 'user' || key === 'assistant') return `\`${key}:\` needs text (a string); quote it if it looks like a number or a list`;
  return `unknown turn key \`${key}\`${didYouMean(key, ['user', 'assistant'])}: ${TURN_SHAPE}`;
}

const Turn = z.union(
  [
    z.strictObject({ user: z.string().trim().min(1, 'a user turn needs text') }),
    z.strictObject({ assistant: z.string().trim().min(1, 'an assistant turn needs text') }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? turnHint(issue.input) : undefined) },
);

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
  /** Path relative to the suite folder the file was found in (`workplace/work-x.yaml`): what `--scenarios` globs match. */
  suitePath?: string;
  /** sha256 of the canonical JSON of the validated scenario. */
  hash: string;
}
