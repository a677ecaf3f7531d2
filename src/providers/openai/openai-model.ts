import type OpenAI from 'openai';
import type { ModelSpec } from '../../config/model-schema.js';
import type { GenerateRequest, GenerateResult, LanguageModel } from '../language-model.js';
import { type ProviderDeps, requestHeaders } from '../provider-deps.js';
import { type ErrorContext, normaliseSdkError } from '../provider-errors.js';
import { completionResult } from './completion-result.js';
import { toOpenAIParams } from './map-response.js';
import { OPENAI_ERROR_CLASSES, openaiClient } from './openai-client.js';

/** Chat Completions through the official SDK; `baseURL` points it at any OpenAI-compatible server. */
export class OpenAIModel implements LanguageModel {
  readonly provider = 'openai';
  readonly modelId: string;
  private readonly client: OpenAI;
  private readonly errCtx: ErrorContext;
  private readonly officialApi: boolean;
  private readonly now: () => number;

  constructor(spec: ModelSpec, deps: ProviderDeps) {
    this.modelId = spec.model;
    ({ client: this.client, errCtx: this.errCtx, now: this.now, officialApi: this.officialApi } = openaiClient(spec, deps));
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    const started = this.now();
    try {
      const { data, request_id } = await this.client.chat.completions
        .create(toOpenAIParams(this.modelId, req, this.officialApi), { signal: req.signal ?? null, headers: requestHeaders(req) })
        .withResponse();
      return completionResult(data, Math.max(0, this.now() - started), request_id);
    } catch (err) {
      throw normaliseSdkError(err, this.errCtx, OPENAI_ERROR_CLASSES, req.signal);
    }
  }
}
