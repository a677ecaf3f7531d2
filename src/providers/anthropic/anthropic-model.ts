import Anthropic, { APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type { ModelSpec } from '../../config/model-schema.js';
import { DEFAULT_KEY_ENV } from '../api-key.js';
import type { GenerateRequest, GenerateResult, LanguageModel } from '../language-model.js';
import { adapterBasics, type ProviderDeps, requestHeaders, SDK_TIMEOUT_MS } from '../provider-deps.js';
import { type ErrorContext, normaliseSdkError } from '../provider-errors.js';
import { extractText, mapStopReason, mapUsage, toAnthropicParams } from './map-response.js';

const ERROR_CLASSES = { APIError, APIUserAbortError, APIConnectionTimeoutError };

/** Anthropic Messages API through the official SDK; one attempt per call (maxRetries 0). */
export class AnthropicModel implements LanguageModel {
  readonly provider = 'anthropic';
  readonly modelId: string;
  private readonly client: Anthropic;
  private readonly errCtx: ErrorContext;
  private readonly now: () => number;

  constructor(spec: ModelSpec, deps: ProviderDeps) {
    this.modelId = spec.model;
    const { apiKey, errCtx, now } = adapterBasics(this.provider, spec, deps, DEFAULT_KEY_ENV.anthropic);
    this.errCtx = errCtx;
    this.now = now;
    this.client = new Anthropic({
      apiKey,
      baseURL: spec.baseURL ?? deps.env.ANTHROPIC_BASE_URL ?? 'https://api.anthropic.com',
      maxRetries: 0,
      timeout: SDK_TIMEOUT_MS,
      fetch: deps.fetch,
      ...(spec.headers ? { defaultHeaders: spec.headers } : {}),
    });
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    const started = this.now();
    const warnings: string[] = [];
    try {
      const { data, request_id } = await this.client.messages
        .create(toAnthropicParams(this.modelId, req), { signal: req.signal ?? null, headers: requestHeaders(req) })
        .withResponse();
      const structured = req.structured?.name;
      return {
        text: extractText(data, structured, warnings),
        finishReason: mapStopReason(data.stop_reason, structured !== undefined),
        usage: mapUsage(data.usage),
        latencyMs: Math.max(0, this.now() - started),
        ...(request_id ? { requestId: request_id } : {}),
        ...(data.model ? { served: { model: data.model } } : {}),
        warnings,
        providerMetadata: { stopReason: data.stop_reason, servedModel: data.model, messageId: data.id, rawUsage: data.usage },
      };
    } catch (err) {
      throw normaliseSdkError(err, this.errCtx, ERROR_CLASSES, req.signal);
    }
  }
}
