import type { ModelSpec } from '../config/model-schema.js';
import { ConfigError } from '../core/errors.js';
import { AnthropicBatch } from './anthropic/anthropic-batch.js';
import { AnthropicModel } from './anthropic/anthropic-model.js';
import type { BatchModel } from './batch-model.js';
import type { LanguageModel } from './language-model.js';
import { OpenAIBatch } from './openai/openai-batch.js';
import { OpenAIModel } from './openai/openai-model.js';
import type { ProviderDeps } from './provider-deps.js';
import { ReplayModel } from './replay/replay-model.js';

/** Adding a provider: one folder with a LanguageModel class, and one line here. */
const FACTORIES: Record<string, (spec: ModelSpec, deps: ProviderDeps) => LanguageModel> = {
  anthropic: (spec, deps) => new AnthropicModel(spec, deps),
  openai: (spec, deps) => new OpenAIModel(spec, deps),
  replay: (spec, deps) => new ReplayModel(spec, deps),
};

export const PROVIDER_NAMES: readonly string[] = Object.keys(FACTORIES);

/**
 * Builds the adapter for one configured model. Throws EnvironmentError for a missing API key and
 * ConfigError for an unknown provider, so a run fails before its first request.
 */
export function createModel(spec: ModelSpec, deps: ProviderDeps, configFile = 'config.yaml'): LanguageModel {
  const factory = FACTORIES[spec.provider];
  if (!factory) {
    throw new ConfigError([
      {
        file: configFile,
        path: `models[${spec.id}].provider`,
        message: `unknown provider '${spec.provider}'; use one of: ${PROVIDER_NAMES.join(', ')}`,
      },
    ]);
  }
  return factory(spec, deps);
}

/** Providers with a batch API (batch mode); adding one: a BatchModel class and one line here. */
const BATCH_FACTORIES: Record<string, (spec: ModelSpec, deps: ProviderDeps) => BatchModel> = {
  anthropic: (spec, deps) => new AnthropicBatch(spec, deps),
  openai: (spec, deps) => new OpenAIBatch(spec, deps),
};

export const BATCH_PROVIDER_NAMES: readonly string[] = Object.keys(BATCH_FACTORIES);

/** The batch API adapter of a configured model; ConfigError for a provider without one. */
export function createBatchModel(spec: ModelSpec, deps: ProviderDeps, configFile = 'config.yaml'): BatchModel {
  const factory = BATCH_FACTORIES[spec.provider];
  if (!factory) {
    throw new ConfigError([
      {
        file: configFile,
        path: `models[${spec.id}].provider`,
        message: `batch mode needs a provider with a batch API (${Object.keys(BATCH_FACTORIES).join(', ')}); '${spec.provider}' has none`,
      },
    ]);
  }
  return factory(spec, deps);
}
