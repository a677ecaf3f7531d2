import type { RawJudgment } from '../../stages/judge/judge.js';
import { builtinPhraseSet, lexicalJudgment, PhraseSet } from '../../stages/judge/lexical/index.js';
import { type EmbeddedConversation, extractConversation } from '../../stages/judge/llm/embed-transcript.js';
import { JUDGE_OUTPUT_NAME, type JudgeOutput } from '../../stages/judge/llm/output-schema.js';
import type { Taxonomy } from '../../taxonomy/index.js';
import type { StructuredRequest } from '../local-server/options.js';
import { hashString, mulberry32 } from '../local-server/random.js';
import { sampleFromSchema } from '../local-server/schema-sample.js';

/** A RawJudgment in the judge's wire format (what a model would answer). */
function toJudgeOutput(j: RawJudgment): JudgeOutput {
  return {
    ai_values: j.aiValues.map((v) => ({ name: v.name, evidence: v.evidence ?? '', explicit: v.explicit ?? false })),
    human_values: j.humanValues.map((v) => ({ name: v.name })),
    response_type: j.responseType,
    refusal: j.refusal,
  };
}

/**
 * A `structuredResponder` for the local test server that makes offline judgments meaningful: it
 * reads the conversation back out of the judge prompt and answers with `judge(conversation)` (the
 * demo passes the lexical judge's pure function). Placement requests get the first candidate;
 * any other structured request gets generic schema-valid JSON, as the server would give.
 */
export function createJudgeResponder(judge: (conversation: EmbeddedConversation) => RawJudgment): (r: StructuredRequest) => unknown {
  return (r) => {
    if (r.name === JUDGE_OUTPUT_NAME) {
      const embedded = extractConversation(r.messages[0]?.content ?? '');
      if (embedded) return toJudgeOutput(judge(embedded.conversation));
    }
    if (r.name === 'place_value') {
      const options = (r.schema as { properties?: { leaf?: { enum?: string[] } } }).properties?.leaf?.enum ?? ['none'];
      return { leaf: options[0] ?? 'none' };
    }
    return sampleFromSchema(r.schema, mulberry32(hashString(JSON.stringify(r.messages))));
  };
}

/**
 * The demo's responder: the local server answers judge prompts with the lexical judge's verdict on
 * the conversation it reads back from the prompt (the scenario's user_values are not in the prompt,
 * so only values the user states in the text count, as for an LLM judge).
 */
export function createLexicalJudgeResponder(taxonomy?: Taxonomy): (r: StructuredRequest) => unknown {
  const phrases = taxonomy ? new PhraseSet(taxonomy.leafNames()) : builtinPhraseSet();
  return createJudgeResponder((c) => lexicalJudgment({ userValues: [], messages: c.conversation, response: c.final_response }, phrases));
}
