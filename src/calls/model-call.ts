import type { GenerateRequest, GenerateResult, LanguageModel } from '../providers/language-model.js';
import type { CallBudget, Reservation } from './budget.js';
import { estimateInputTokens } from './estimate.js';
import type { Permit } from './rate-limiter.js';
import { type RetryDeps, type RetryOutcome, type RetryPolicy, withRetry } from './retry.js';
import type { ModelLane } from './scheduler.js';

/** What an attempt needs of its lane: the rate limiter, and the run's budget when it has one (calls/budget.ts). */
type AttemptLane = Pick<ModelLane, 'limiter'> & { budget?: CallBudget | undefined };

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

/**
 * Same as callModel but for a caller that already holds a lane slot (or has no lane). With a budget
 * on the lane, each attempt reserves its estimated cost before it waits for a permit (a refusal
 * ends the call as interrupted: nothing is sent) and settles it with the real usage afterwards.
 */
export function generateWithRetry(
  model: LanguageModel,
  request: Omit<GenerateRequest, 'signal'>,
  lane: AttemptLane | undefined,
  policy: RetryPolicy,
  deps: RetryDeps,
): Promise<RetryOutcome<GenerateResult>> {
  const inputEstimate = estimateInputTokens(request);
  let permit: Permit | undefined;
  let held: Reservation | undefined;
  return withRetry(
    async (_n, signal) => {
      try {
        const result = await model.generate({ ...request, signal });
        permit?.settle(result.usage.inputTokens + result.usage.outputTokens);
        held?.settle(result.usage);
        return result;
      } catch (e) {
        // A failed call still used the prompt's tokens at most; the output reservation is released.
        permit?.settle(inputEstimate);
        // A failed attempt reports no usage, so the budget charges it nothing (docs/cost.md: what is measured).
        held?.settle(undefined);
        throw e;
      }
    },
    policy,
    {
      ...deps,
      beforeAttempt: async (_n, signal) => {
        held = lane?.budget?.reserve(request);
        try {
          permit = lane ? await lane.limiter.acquire(inputEstimate + request.maxTokens, signal) : undefined;
        } catch (e) {
          held?.settle(undefined);
          throw e;
        }
      },
    },
  );
}
