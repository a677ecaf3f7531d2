import { z } from 'zod';

/** Defaults for every model; a model's own fields win. */
export const RunnerSchema = z.strictObject({
  samples: z.number().int().positive().max(100).default(1),
  maxAttempts: z.number().int().positive().max(20).default(6),
  timeoutMs: z.number().int().positive().default(120_000),
  backoff: z
    .strictObject({
      baseMs: z.number().int().nonnegative().default(500),
      maxMs: z.number().int().positive().default(60_000),
    })
    .prefault({}),
  /**
   * Window over which each model's rpm and tpm are enforced (a sliding window). One minute
   * matches the providers; shorter windows are for tests against the local server.
   */
  rateWindowMs: z.number().int().positive().default(60_000),
  /** Progress line period when stdout is not a TTY. */
  progressIntervalMs: z.number().int().positive().default(10_000),
});
