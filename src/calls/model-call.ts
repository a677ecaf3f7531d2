import type { GenerateRequest, GenerateResult, LanguageModel } from '../providers/language-model.js';
import { estimateInputTokens } from './estimate.js';
import type { Permit } from './rate-limiter.js';
import { type RetryDeps, type RetryOutcome, type RetryPolicy, withRetry } from './retry.js';
import type { ModelLane } from './scheduler.js';

/**
 * One model call as the runner makes it: a concurrency slot in the model's lane, then attempts
 * through the single retry layer, each attempt first taking a rate-limit permit (so retries count
 * against rpm/tpm too) and then settling it with the tokens really used.
 */
export function callModel(
  model: LanguageModel,
  request: Omit<GenerateRequest, 'signal'>,
  options: { lane: ModelLane; policy: RetryPolicy; deps: RetryDeps },
): Promise<RetryOutcome<GenerateResult>> {
  const { lane, policy, deps } = options;
  return lane.run(() => generateWithRetry(model, request, lane, policy, deps));
}

/** Same as callModel but for a caller that already holds a lane slot (or has no lane). */
export function generateWithRetry(
  model: LanguageModel,
  request: Omit<GenerateRequest, 'signal'>,
  lane: Pick<ModelLane, 'limiter'> | undefined,
  policy: RetryPolicy,
  deps: RetryDeps,
): Promise<RetryOutcome<GenerateResult>> {
  const inputEstimate = estimateInputTokens(request);
  let permit: Permit | undefined;
  return withRetry(
    async (_n, signal) => {
      try {
        const result = await model.generate({ ...request, signal });
        permit?.settle(result.usage.inputTokens + result.usage.outputTokens);
        return result;
      } catch (e) {
        // A failed call still used the prompt's tokens at most; the output reservation is released.
        permit?.settle(inputEstimate);
        throw e;
      }
    },
    policy,
    {
      ...deps,
      beforeAttempt: async (_n, signal) => {
        permit = lane ? await lane.limiter.acquire(inputEstimate + request.maxTokens, signal) : undefined;
      },
    },
  );
}
