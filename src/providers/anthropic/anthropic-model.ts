import type Anthropic from '@anthropic-ai/sdk';
import type { ModelSpec } from '../../config/model-schema.js';
import type { GenerateRequest, GenerateResult, LanguageModel } from '../language-model.js';
import { type ProviderDeps, requestHeaders } from '../provider-deps.js';
import { type ErrorContext, normaliseSdkError } from '../provider-errors.js';
import { ANTHROPIC_ERROR_CLASSES, anthropicClient } from './anthropic-client.js';
import { toAnthropicParams } from './map-response.js';
import { messageResult } from './message-result.js';

/** Anthropic Messages API through the official SDK; one attempt per call (maxRetries 0). */
export class AnthropicModel implements LanguageModel {
  readonly provider = 'anthropic';
  readonly modelId: string;
  private readonly client: Anthropic;
  private readonly errCtx: ErrorContext;
  private readonly now: () => number;

  constructor(spec: ModelSpec, deps: ProviderDeps) {
    this.modelId = spec.model;
    ({ client: this.client, errCtx: this.errCtx, now: this.now } = anthropicClient(spec, deps));
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    const started = this.now();
    try {
      const { data, request_id } = await this.client.messages
        .create(toAnthropicParams(this.modelId, req), { signal: req.signal ?? null, headers: requestHeaders(req) })
        .withResponse();
      return messageResult(data, req.structured?.name, Math.max(0, this.now() - started), request_id);
    } catch (err) {
      throw normaliseSdkError(err, this.errCtx, ANTHROPIC_ERROR_CLASSES, req.signal);
    }
  }
}
