import { z } from 'zod';

/** Node timers cannot wait longer than 2^31-1 ms; a larger value fires at once (every attempt would time out). */
export const MAX_TIMER_MS = 2_147_483_647;
/** Default of runner.maxRetryAfterMs: 10 minutes. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 600_000;
const timerMs = () => z.number().int().max(MAX_TIMER_MS, `at most ${MAX_TIMER_MS} ms (about 24.8 days): Node timers cannot wait longer`);

/** How batch mode submits and polls (runner.batch; the judge's batch mode uses the same settings). */
const BatchSettingsSchema = z.strictObject({
  /** How often an in-flight batch is polled. */
  pollMs: timerMs().positive().default(30_000),
  /**
   * How long requests are gathered before a batch is submitted: every cell ready within this window
   * goes into the same batch (up to the provider's size limits).
   */
  gatherMs: timerMs().nonnegative().default(2_000),
  /** Items per batch at most (the providers allow 100,000 / 50,000); smaller batches return sooner. */
  maxItems: z.number().int().positive().max(100_000).optional(),
  /** An attempt that has not ended after this long is cancelled and retried (providers expire batches after 24 h). */
  timeoutMs: timerMs()
    .positive()
    .default(26 * 3_600_000),
});

/** Defaults for every model; a model's own fields win. */
export const RunnerSchema = z.strictObject({
  samples: z.number().int().positive().max(100).default(1),
  maxAttempts: z.number().int().positive().max(20).default(6),
  timeoutMs: timerMs().positive().default(120_000),
  backoff: z
    .strictObject({
      baseMs: timerMs().nonnegative().default(500),
      maxMs: timerMs().positive().default(60_000),
    })
    .prefault({}),
  /**
   * Window over which each model's rpm and tpm are enforced (a sliding window). One minute
   * matches the providers; shorter windows are for tests against the local server.
   */
  rateWindowMs: timerMs().positive().default(60_000),
  /**
   * Longest `retry-after` / `retry-after-ms` a server may ask for: a longer one ends the cell's
   * retrying with an error saying so, instead of waiting silently (some servers send a day).
   */
  maxRetryAfterMs: timerMs().nonnegative().default(DEFAULT_MAX_RETRY_AFTER_MS),
  /** Progress line period when stdout is not a TTY. */
  progressIntervalMs: timerMs().positive().default(10_000),
  /**
   * sync (default): one HTTP request per cell. batch: cells go through the providers' batch APIs
   * (Anthropic Message Batches, OpenAI Batch), about half the price, answered within 24 hours.
   */
  mode: z.enum(['sync', 'batch']).default('sync'),
  batch: BatchSettingsSchema.prefault({}),
  /**
   * USD: no new request is sent once the money spent plus the estimate of the requests in flight
   * would pass it (models and judge together, at the config's prices). The run exits 3; --resume continues.
   */
  maxCost: z.number().positive().optional(),
});
