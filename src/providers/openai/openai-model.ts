import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ModelSpec } from '../../config/model-schema.js';
import { DEFAULT_KEY_ENV } from '../api-key.js';
import type { FinishReason, GenerateRequest, GenerateResult, LanguageModel } from '../language-model.js';
import { adapterBasics, type ProviderDeps, requestHeaders, SDK_TIMEOUT_MS } from '../provider-deps.js';
import { type ErrorContext, normaliseSdkError } from '../provider-errors.js';
import { mapFinishReason, mapUsage, servedOf, toOpenAIParams } from './map-response.js';

const ERROR_CLASSES = { APIError, APIUserAbortError, APIConnectionTimeoutError };

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
    const { apiKey, errCtx, now } = adapterBasics(this.provider, spec, deps, DEFAULT_KEY_ENV.openai);
    this.errCtx = errCtx;
    this.now = now;
    const baseURL = spec.baseURL ?? deps.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1';
    this.officialApi = new URL(baseURL).hostname === 'api.openai.com';
    this.client = new OpenAI({
      apiKey,
      baseURL,
      maxRetries: 0,
      timeout: SDK_TIMEOUT_MS,
      fetch: deps.fetch,
      // Otherwise the SDK reads process.env; the injected env must decide, as everywhere else.
      organization: deps.env.OPENAI_ORG_ID ?? null,
      project: deps.env.OPENAI_PROJECT_ID ?? null,
      ...(spec.headers ? { defaultHeaders: spec.headers } : {}),
    });
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    const started = this.now();
    const warnings: string[] = [];
    try {
      const { data, request_id } = await this.client.chat.completions
        .create(toOpenAIParams(this.modelId, req, this.officialApi), { signal: req.signal ?? null, headers: requestHeaders(req) })
        .withResponse();
      const choice = data.choices[0];
      let text = choice?.message.content ?? '';
      let finishReason: FinishReason = mapFinishReason(choice?.finish_reason);
      const refusal = choice?.message.refusal;
      if (refusal) {
        // Structured-output refusals come back here instead of in content.
        text = text || refusal;
        finishReason = 'content_filter';
        warnings.push('model refused (message.refusal set)');
      }
      if (!choice) warnings.push('response had no choices');
      return {
        text,
        finishReason,
        usage: mapUsage(data.usage),
        latencyMs: Math.max(0, this.now() - started),
        ...(request_id ? { requestId: request_id } : {}),
        ...servedOf(data),
        warnings,
        providerMetadata: {
          finishReason: choice?.finish_reason ?? null,
          servedModel: data.model,
          completionId: data.id,
          systemFingerprint: data.system_fingerprint ?? null,
        },
      };
    } catch (err) {
      throw normaliseSdkError(err, this.errCtx, ERROR_CLASSES, req.signal);
    }
  }
}
