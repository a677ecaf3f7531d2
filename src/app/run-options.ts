import type { BatchRegistry } from '../calls/batch/batch-registry.js';
import type { Budget } from '../calls/budget.js';
import type { Config } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { AppContext } from '../core/context.js';
import type { Manifest } from '../records/manifest.js';
import type { Transcript } from '../records/transcript.js';
import type { Progress } from '../stages/run/progress.js';

export interface RunCommandOptions {
  config?: string | undefined;
  models?: string[] | undefined;
  domains?: string[] | undefined;
  scenarios?: string | undefined;
  samples?: number | undefined;
  out?: string | undefined;
  resume?: string | undefined;
  /** With --resume: request again the cells that ended in error (a new transcript line replaces each). */
  retryErrors?: boolean | undefined;
  /**
   * A run directory whose answers this new run reuses (no HTTP call) for every cell with an
   * identical request; the others are requested fresh. Not with `resume`.
   */
  reuseFrom?: string | undefined;
  cache: boolean;
  /** `--batch`: runner.mode batch for this run (the models' and, when judged here, the judge's calls). */
  batch?: boolean | undefined;
  /** `--max-cost USD`: overrides runner.maxCost. */
  maxCost?: number | undefined;
  /** `--shard i/n`: run only the i-th (1-based) of n balanced parts of the plan. */
  shard?: { index: number; count: number } | undefined;
  dryRun: boolean;
  judge: boolean;
  /** Write profile.json and the report once every cell is judged (default true). */
  report?: boolean | undefined;
  /** Pipelined judging (or any consumer of fresh transcripts); called once the run directory exists. */
  hooks?: RunHooksFactory | undefined;
  clock?: Clock | undefined;
  random?: (() => number) | undefined;
}

export interface RunHooks {
  onTranscript?: (t: Transcript) => void | Promise<void>;
  /**
   * Awaited after the loop ends (also when interrupted), before the exit code is decided. Returns
   * whether the stages after the run left cells unfinished (judge errors, unjudged cells): the run
   * then exits 3, as `valuescope judge` does on the same data.
   */
  finish?: (outcome: { status: Manifest['status']; signal: AbortSignal }) => Promise<{ incomplete: boolean }>;
  /**
   * The run failed before `finish`: stop everything the hooks started (in-flight batches stay
   * journaled) and wait until nothing writes any more, so the run's lock is released last.
   */
  abort?: () => Promise<void>;
}

export type RunHooksFactory = (run: {
  dir: string;
  manifest: Manifest;
  config: Config;
  configDir: string;
  judge: boolean;
  report?: boolean;
  ctx: AppContext;
  /** Removes configured secrets from every record the hooks write. */
  scrub?: (text: string) => string;
  /** The run's budget (calls/budget.ts): the judge's calls are charged to it too. */
  budget?: Budget;
  /** The run's progress display: the judge adds its row. */
  progress?: Progress;
  /** The batch ids the run's model engines know, shared with the judge's (calls/batch/batch-registry.ts). */
  batchRegistry?: BatchRegistry;
}) => Promise<RunHooks | undefined>;
