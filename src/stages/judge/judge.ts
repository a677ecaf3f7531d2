import type { Usage } from '../../providers/language-model.js';
import type { Refusal, ResponseType } from '../../records/response-types.js';
import type { Transcript } from '../../records/transcript.js';

/** What one judge call extracts from one transcript, before taxonomy mapping and consensus. */
export interface RawJudgment {
  aiValues: { name: string; evidence?: string; explicit?: boolean }[];
  humanValues: { name: string }[];
  responseType: ResponseType;
  refusal: Refusal;
}

export interface JudgeCallResult {
  judgment: RawJudgment;
  usage: Usage;
  /** The model's raw output, kept for error reports. */
  raw?: string;
}

/**
 * One seam for every judge: LLM judges from judges/<name>.yaml and the built-in offline `lexical` judge.
 * Failures throw JudgeOutputError (bad output after repair) or ProviderError (the call failed).
 */
export interface Judge {
  /** name@version, e.g. "default@1" or "lexical@3". */
  readonly id: string;
  /** Content hash of everything that changes this judge's answers (definition, rubric, schema, model, params). */
  readonly hash: string;
  /** provider:model strings of the models behind it ("builtin:lexical" for the lexical judge). */
  readonly models: string[];
  judge(transcript: Transcript, options: JudgeCallOptions): Promise<JudgeCallResult>;
}

export interface JudgeCallOptions {
  sample: number;
  signal?: AbortSignal;
  /**
   * How many judgments of this cell already failed. A re-attempt after a recorded failure is a new
   * request: batch mode keys its calls by it, so it is not answered from the batch that failed.
   */
  round?: number;
}
