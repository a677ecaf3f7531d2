import { randomBytes } from 'node:crypto';
import { callModel } from '../../../calls/model-call.js';
import type { RetryDeps, RetryPolicy } from '../../../calls/retry.js';
import type { ModelLane } from '../../../calls/scheduler.js';
import { JudgeOutputError } from '../../../core/errors.js';
import type { GenerateRequest, GenerateResult, LanguageModel, Usage } from '../../../providers/language-model.js';
import type { Transcript } from '../../../records/transcript.js';
import { contentHash } from '../../../util/hash.js';
import type { Judge, JudgeCallResult } from '../judge.js';
import type { JudgeDefinition } from './definition-schema.js';
import { conversationOf } from './embed-transcript.js';
import { JUDGE_OUTPUT_NAME, judgeOutputJsonSchema, parseJudgeOutput } from './output-schema.js';
import { buildJudgePrompt, repairMessage } from './prompt.js';

/** The subset of ResponseCache a judge needs (structural, so tests can pass a real cache on a temp dir). */
export interface JudgeCache {
  keyFor(parts: unknown): string;
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
}

export interface LlmJudgeDeps {
  model: LanguageModel;
  /** What changes answers besides the definition: sent on the wire and hashed. */
  params: { temperature?: number | undefined; topP?: number | undefined; maxTokens: number };
  lane: ModelLane;
  policy: RetryPolicy;
  retry: RetryDeps;
  cache?: JudgeCache | undefined;
  /** Per-call container nonce; random by default, fixed in tests that inspect prompts. */
  nonce?: () => string;
}

export function judgeHashOf(def: JudgeDefinition, model: { provider: string; model: string }, params: LlmJudgeDeps['params']): string {
  const { description: _d, ...meaning } = def;
  return contentHash({
    definition: { ...meaning, model: undefined },
    model: { provider: model.provider, model: model.model, ...params },
    schema: judgeOutputJsonSchema(),
  });
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
  };
}

export const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };

/**
 * A judge backed by a language model. Output is requested as structured JSON, validated against
 * the fixed schema, repaired once with the validation error quoted, then given up on with
 * JudgeOutputError (carrying the raw text). Provider failures surface as ProviderError after the
 * retry layer. Successful answers are cached by judge hash, transcript content and sample.
 */
export function createLlmJudge(def: JudgeDefinition, deps: LlmJudgeDeps): Judge {
  const { model, params } = deps;
  const hash = judgeHashOf(def, { provider: model.provider, model: model.modelId }, params);
  const nonce = deps.nonce ?? (() => randomBytes(12).toString('hex'));
  const structured = { name: JUDGE_OUTPUT_NAME, description: 'Record the judgment of the transcript.', schema: judgeOutputJsonSchema() };

  const call = async (request: Omit<GenerateRequest, 'signal'>, signal?: AbortSignal): Promise<GenerateResult> => {
    const outcome = await callModel(model, request, {
      lane: deps.lane,
      policy: deps.policy,
      deps: { ...deps.retry, signal: signal ?? deps.retry.signal },
    });
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  };

  return {
    id: `${def.name}@${def.version}`,
    hash,
    models: [`${model.provider}:${model.modelId}`],
    async judge(transcript: Transcript, options: { sample: number; signal?: AbortSignal }): Promise<JudgeCallResult> {
      const key = deps.cache?.keyFor({ kind: 'judge', judgeHash: hash, conversation: conversationOf(transcript), sample: options.sample });
      if (key !== undefined) {
        const hit = await deps.cache!.get<JudgeCallResult>(key);
        if (hit) return { ...hit, usage: ZERO_USAGE };
      }
      const prompt = buildJudgePrompt(def, transcript, nonce);
      const base = {
        system: prompt.system,
        maxTokens: params.maxTokens,
        structured,
        sample: options.sample,
        ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
        ...(params.topP !== undefined ? { topP: params.topP } : {}),
      };
      const first = await call({ ...base, messages: [{ role: 'user', content: prompt.user }] }, options.signal);
      let usage = first.usage;
      let parsed = parseJudgeOutput(first.text);
      let raw = first.text;
      if (!parsed.ok) {
        const firstError = parsed.error;
        const second = await call(
          {
            ...base,
            messages: [
              { role: 'user', content: prompt.user },
              { role: 'assistant', content: first.text || '(empty)' },
              { role: 'user', content: repairMessage(firstError) },
            ],
          },
          options.signal,
        );
        usage = addUsage(usage, second.usage);
        raw = second.text;
        parsed = parseJudgeOutput(second.text);
        if (!parsed.ok) {
          throw new JudgeOutputError(`judge ${def.name}@${def.version} gave invalid output twice; after repair it ${parsed.error}`, raw);
        }
      }
      const result: JudgeCallResult = { judgment: parsed.judgment, usage, raw };
      if (key !== undefined) await deps.cache!.put(key, result);
      return result;
    },
  };
}
