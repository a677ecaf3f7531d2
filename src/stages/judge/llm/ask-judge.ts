import { withRound } from '../../../calls/batch/batch-key.js';
import { callModel } from '../../../calls/model-call.js';
import { JudgeOutputError } from '../../../core/errors.js';
import type { GenerateRequest, GenerateResult, StructuredOutputRequest } from '../../../providers/language-model.js';
import type { Transcript } from '../../../records/transcript.js';
import { contentHash } from '../../../util/hash.js';
import type { JudgeCallOptions, JudgeCallResult } from '../judge.js';
import type { JudgeDefinition } from './definition-schema.js';
import { conversationOf } from './embed-transcript.js';
import type { LlmJudgeDeps } from './llm-judge.js';
import { parseJudgeOutput } from './output-schema.js';
import { buildJudgePrompt, repairMessage } from './prompt.js';
import { addUsage } from './usage.js';

/** What every call of one LLM judge shares, fixed when the judge is created. */
export interface LlmJudgeSetup {
  def: JudgeDefinition;
  deps: LlmJudgeDeps;
  nonce: () => string;
  structured: StructuredOutputRequest;
  /** The judge's hash: the cache key of its static prompt prefix, and part of each request's batch key. */
  hash: string;
}

/**
 * Asks the model for a judgment; an invalid answer gets one repair turn quoting the validation
 * error, and a second invalid answer throws JudgeOutputError with the raw text.
 */
export async function askJudge(s: LlmJudgeSetup, transcript: Transcript, options: JudgeCallOptions): Promise<JudgeCallResult> {
  const { def, deps } = s;
  const { params } = deps;
  const prompt = buildJudgePrompt(def, transcript, s.nonce);
  // Batch mode journals each call under this key, so a resumed judge reattaches instead of resubmitting;
  // a re-attempt after a recorded failure (round > 0) is a new request (calls/batch/batch-key.ts).
  const key = `${s.hash.slice(0, 16)}/${contentHash(conversationOf(transcript)).slice(0, 16)}/${transcript.cellId}/${options.sample}`;
  const round = options.round ?? 0;
  const base = {
    system: prompt.system,
    // The system prompt (rubric included) and the output tool are the same on every call: a cached prefix.
    cachePrefix: { cacheKey: `valuescope-judge-${s.hash.slice(0, 16)}` },
    maxTokens: params.maxTokens,
    structured: s.structured,
    sample: options.sample,
    ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
    ...(params.topP !== undefined ? { topP: params.topP } : {}),
  };
  const first = await callJudgeModel(
    deps,
    { ...base, batchKey: withRound(key, round), messages: [{ role: 'user', content: prompt.user }] },
    options.signal,
  );
  const parsed = parseJudgeOutput(first.text);
  if (parsed.ok) return { judgment: parsed.judgment, usage: first.usage, raw: first.text };
  const repair: Omit<GenerateRequest, 'signal'> = {
    ...base,
    batchKey: withRound(`${key}/repair`, round),
    messages: [
      { role: 'user', content: prompt.user },
      { role: 'assistant', content: first.text || '(empty)' },
      { role: 'user', content: repairMessage(parsed.error) },
    ],
  };
  const second = await callJudgeModel(deps, repair, options.signal);
  const usage = addUsage(first.usage, second.usage);
  const reparsed = parseJudgeOutput(second.text);
  if (!reparsed.ok) {
    throw new JudgeOutputError(
      `judge ${def.name}@${def.version} gave invalid output twice; after repair it ${reparsed.error}`,
      second.text,
    );
  }
  return { judgment: reparsed.judgment, usage, raw: second.text };
}

async function callJudgeModel(deps: LlmJudgeDeps, request: Omit<GenerateRequest, 'signal'>, signal?: AbortSignal): Promise<GenerateResult> {
  const outcome = await callModel(deps.model, request, {
    lane: deps.lane,
    policy: deps.policy,
    deps: { ...deps.retry, signal: signal ?? deps.retry.signal },
  });
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
