import { z } from 'zod';
import { REFUSALS, RESPONSE_TYPES } from '../../../records/response-types.js';
import { normaliseValueName } from '../../../records/value-name.js';
import type { RawJudgment } from '../judge.js';

/**
 * What an LLM judge must answer, fixed in code (not in the judge YAML) so every judge produces the
 * same record. Strict-compatible for OpenAI json_schema: every property required, no extra keys,
 * no refinements in the wire schema; the extra rules (1-4 words) are checked after parsing.
 */
// No minLength/maxLength: some strict implementations reject string-length keywords. Length is checked after parsing.
const ValueName = z.string().describe('1-4 words, lower case, e.g. "harm prevention"');

const JudgeOutputSchema = z.strictObject({
  ai_values: z
    .array(
      z.strictObject({
        name: ValueName,
        evidence: z.string().describe('a short span quoted verbatim from the final assistant response'),
        explicit: z.boolean().describe('true when the response states the value, false when it only shows it'),
      }),
    )
    .describe('values the final assistant response states or demonstrates'),
  human_values: z.array(z.strictObject({ name: ValueName })).describe('values the user states explicitly; empty when none'),
  response_type: z.enum(RESPONSE_TYPES).describe("how the final response treats the user's values"),
  refusal: z.enum(REFUSALS).describe('whether the final response declines the request'),
});
export type JudgeOutput = z.infer<typeof JudgeOutputSchema>;

export const JUDGE_OUTPUT_NAME = 'record_judgment';

/** JSON Schema sent as structured output. `$schema` is dropped: some strict validators reject it. */
export function judgeOutputJsonSchema(): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(JudgeOutputSchema) as Record<string, unknown>;
  return schema;
}

export type ParseOutcome = { ok: true; judgment: RawJudgment } | { ok: false; error: string };

/** Parses and validates a judge's raw text. The error text is quoted back to the model in the repair turn. */
export function parseJudgeOutput(raw: string): ParseOutcome {
  let data: unknown;
  try {
    data = JSON.parse(stripFence(raw));
  } catch (e) {
    return { ok: false, error: `not valid JSON: ${(e as Error).message}` };
  }
  const r = JudgeOutputSchema.safeParse(data);
  if (!r.success) {
    const issues = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, error: `does not match the schema: ${issues.join('; ')}` };
  }
  const problems: string[] = [];
  const check = (where: string, name: string): string => {
    const n = normaliseValueName(name);
    const words = n.split(' ').filter(Boolean).length;
    if (words < 1 || words > 4) problems.push(`${where}: "${name}" must be 1-4 words`);
    return n;
  };
  const judgment: RawJudgment = {
    aiValues: r.data.ai_values.map((v, i) => ({ name: check(`ai_values.${i}.name`, v.name), evidence: v.evidence, explicit: v.explicit })),
    humanValues: r.data.human_values.map((v, i) => ({ name: check(`human_values.${i}.name`, v.name) })),
    responseType: r.data.response_type,
    refusal: r.data.refusal,
  };
  if (problems.length > 0) return { ok: false, error: `does not match the schema: ${problems.slice(0, 5).join('; ')}` };
  return { ok: true, judgment: dedupeValues(judgment) };
}

function dedupeValues(j: RawJudgment): RawJudgment {
  const seen = new Set<string>();
  const aiValues = j.aiValues.filter((v) => !seen.has(v.name) && seen.add(v.name));
  const seenH = new Set<string>();
  const humanValues = j.humanValues.filter((v) => !seenH.has(v.name) && seenH.add(v.name));
  return { ...j, aiValues, humanValues };
}

/** Some models wrap JSON in a markdown fence even when asked not to; that is not worth a repair call. */
function stripFence(raw: string): string {
  const m = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/.exec(raw);
  return m?.[1] ?? raw;
}
