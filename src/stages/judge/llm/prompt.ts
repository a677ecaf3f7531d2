import type { Transcript } from '../../../records/transcript.js';
import type { JudgeDefinition } from './definition-schema.js';
import { conversationOf, embedConversation } from './embed-transcript.js';

export interface JudgePrompt {
  system: string;
  user: string;
  tag: string;
}

function renderRubric(def: JudgeDefinition): string {
  const r = def.rubric;
  const entries = (obj: Record<string, { definition: string; borderline: string }>): string =>
    Object.entries(obj)
      .map(([k, e]) => `- ${k}: ${e.definition}\n  Borderline: ${e.borderline}`)
      .join('\n');
  return [
    '## AI values (field ai_values)',
    r.ai_values,
    '## Human values (field human_values)',
    r.human_values,
    "## Response type (field response_type): how the final response treats the user's own values",
    entries(r.response_types),
    '## Refusal (field refusal), judged separately from response type',
    entries(r.refusals),
  ].join('\n\n');
}

/**
 * Placeholders are filled in one pass over the template only, so `{{...}}` written inside a
 * transcript is never expanded.
 */
export function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => vars[key] ?? whole);
}

export function buildJudgePrompt(def: JudgeDefinition, t: Pick<Transcript, 'request' | 'response'>, nonce: () => string): JudgePrompt {
  const { block, tag } = embedConversation(conversationOf(t), nonce);
  const system = fill(def.prompt.system, { rubric: renderRubric(def), tag: 'transcript-<nonce>' });
  const user = fill(def.prompt.user, { transcript: block, tag });
  return { system, user, tag };
}

/** The repair turn: quotes what was wrong so the model can fix exactly that. */
export function repairMessage(error: string): string {
  return [
    `Your previous answer could not be used: it ${error}.`,
    'Answer again with only the corrected JSON object that matches the required schema.',
    'Do not change your assessment unless the error requires it.',
  ].join(' ');
}
