import { setMaxListeners } from 'node:events';
import path from 'node:path';
import { batchLogger } from '../../calls/batch/batch-log.js';
import { BatchRegistry } from '../../calls/batch/batch-registry.js';
import { Scheduler } from '../../calls/scheduler.js';
import type { Config } from '../../config/schema.js';
import { type Clock, systemClock } from '../../core/clock.js';
import type { OutputStream } from '../../core/context.js';
import { JudgingInterrupted } from '../../core/errors.js';
import { BatchJournal, putJournalBack, setJournalAside } from '../../records/batch-journal.js';
import type { Judgment } from '../../records/judgment.js';
import { type JudgedCell, openJudgmentStore } from '../../records/judgments-store.js';
import { runFile } from '../../records/run-files.js';
import type { Transcript } from '../../records/transcript.js';
import { BoundedWorkQueue } from './bounded-work-queue.js';
import { judgeTranscript } from './judge-cell.js';
import { type JudgeSummary, summarizeJudgments, writeJudgeSummary } from './judge-summary.js';
import { buildPanel, type JudgePanel, type PanelOptions } from './panel.js';

export interface JudgePipelineOptions {
  runDir: string;
  config: Config;
  /** Directory of the config file (judges/, cacheDir, taxonomy.path resolve against it). */
  dir: string;
  ctx: {
    env: Record<string, string | undefined>;
    fetch: typeof globalThis.fetch;
    now: () => Date;
    signal?: AbortSignal;
    stderr?: OutputStream;
  };
  /** Judge names; default config `judge.judges`. */
  names?: string[] | undefined;
  /** Move existing judgments aside and start afresh. */
  force?: boolean;
  /** Share the run's scheduler so a judge model that is also under test shares its lane. */
  scheduler?: Scheduler;
  clock?: Clock;
  random?: () => number;
  /** Transcripts judged at once; further submits wait (back-pressure). Default 64. */
  maxInFlight?: number;
  panel?: Pick<PanelOptions, 'cache' | 'nonce' | 'taxonomy'>;
  /** Called once the panel is built, before anything is judged. */
  onPanel?: (panel: JudgePanel) => void;
  /** Removes configured secrets from every judgment and judge-cache entry written. */
  scrub?: ((text: string) => string) | undefined;
  /** Called after each judgment line is written (progress display). */
  onJudged?: (j: Judgment) => void;
  /** In a run: the batch ids its model engines know (a judge batch lost in a failed submit is never taken for one of them). */
  batchRegistry?: BatchRegistry | undefined;
}

export interface JudgePipeline {
  readonly panel: JudgePanel;
  /** Queues one transcript; resolves once it is accepted (waits while maxInFlight are being judged). */
  submit(t: Transcript): Promise<void>;
  /** Waits for every submitted transcript, closes the store, writes and returns judge-summary.json. */
  drain(): Promise<JudgeSummary>;
}

/**
 * Judging as transcripts arrive: `valuescope run` submits each finished transcript, `valuescope
 * judge` submits a run's transcripts. Cells already judged by the same judge are skipped and cells
 * whose judgment failed are judged again, so both resume where they stopped. Every result line is appended as soon as it is ready.
 */
export async function createJudgePipeline(o: JudgePipelineOptions): Promise<JudgePipeline> {
  // Every in-flight judge attempt listens for Ctrl-C on the one shared signal.
  if (o.ctx.signal) setMaxListeners(0, o.ctx.signal);
  const { journal, panel, store } = await openParts(o);
  if (store.movedTo) o.ctx.stderr?.write(`valuescope: earlier judgments moved to ${path.basename(store.movedTo)}\n`);
  // Batch mode gathers every transcript it is given into batches: the queue must hold a batch's worth.
  const limit = journal ? Math.max(o.maxInFlight ?? 64, o.config.runner.batch.maxItems ?? 100_000) : (o.maxInFlight ?? 64);
  const skip = alreadyJudged(store.done);
  let failure: unknown;

  const judgeOne = async (t: Transcript): Promise<void> => {
    try {
      const round = store.done.get(t.cellId)?.failures ?? 0;
      const { judgment } = await judgeTranscript(panel, t, o.ctx.now, o.ctx.signal, round);
      await store.appender.append(judgment);
      o.onJudged?.(judgment);
    } catch (e) {
      if (!(e instanceof JudgingInterrupted)) failure ??= e;
    }
  };
  const lane = new BoundedWorkQueue<Transcript>(limit, judgeOne);

  return {
    panel,
    async submit(t) {
      if (failure) throw failure;
      if (skip(t) || o.ctx.signal?.aborted) return;
      await lane.submit(t);
    },
    async drain() {
      await lane.drain();
      await store.appender.sync();
      await store.appender.close();
      await journal?.close();
      if (failure) throw failure;
      const summary = await summarizeJudgments(store.file);
      await writeJudgeSummary(o.runDir, summary);
      return summary;
    },
  };
}

/**
 * The judge journal (batch mode), the panel and the judgments store. `--force` judges afresh: the
 * journal is set aside with the judgments, and put back if anything here fails (a typo in a judge
 * name must not make the next pass forget the batches in flight).
 */
async function openParts(o: JudgePipelineOptions) {
  const journalFile = runFile(o.runDir, 'judgeBatches');
  const aside = o.force ? await setJournalAside(journalFile, o.ctx.now()) : null;
  let journal: BatchJournal | undefined;
  try {
    journal = o.config.judge.mode === 'batch' ? await BatchJournal.open(journalFile, o.scrub) : undefined;
    const panel = await panelOf(o, journal);
    o.onPanel?.(panel);
    const { id: judgeId, hash: judgeHash } = panel;
    const store = await openJudgmentStore(o.runDir, { judgeId, judgeHash, force: o.force ?? false, now: o.ctx.now, scrub: o.scrub });
    return { journal, panel, store };
  } catch (e) {
    await journal?.close().catch(() => undefined);
    if (aside) await putJournalBack(journalFile, aside).catch(() => undefined);
    throw e;
  }
}

/**
 * Whether a transcript needs no judging: its cell already has a successful judgment, or it has no
 * answer and its cell is already judged "no_response". A judgment that failed is re-attempted, and
 * so is a "no_response" cell whose transcript now has an answer (`run --retry-errors`). Marks what
 * it lets through, so one cell is judged at most once per answer state in a process.
 */
function alreadyJudged(done: ReadonlyMap<string, JudgedCell>): (t: Transcript) => boolean {
  const state = new Map(done);
  return (t) => {
    const prior = state.get(t.cellId);
    const judged = prior !== undefined && (prior.error === null || (prior.error === 'no_response' && t.response === null));
    if (!judged) state.set(t.cellId, { error: t.response === null ? 'no_response' : null });
    return judged;
  };
}

function panelOf(o: JudgePipelineOptions, journal: BatchJournal | undefined): Promise<JudgePanel> {
  const clock = o.clock ?? systemClock;
  const { batch, progressIntervalMs } = o.config.runner;
  const write = (line: string): void => void o.ctx.stderr?.write(`${line}\n`);
  return buildPanel({
    config: o.config,
    dir: o.dir,
    names: o.names,
    env: o.ctx.env,
    fetch: o.ctx.fetch,
    signal: o.ctx.signal,
    scheduler: o.scheduler ?? new Scheduler({ clock }),
    clock,
    random: o.random ?? Math.random,
    onWarning: (m) => o.ctx.stderr?.write(`warning: ${m}\n`),
    scrub: o.scrub,
    batch: journal
      ? {
          journal,
          settings: batch,
          now: o.ctx.now,
          detach: o.ctx.signal,
          onEvent: batchLogger(write, () => clock.now(), progressIntervalMs, 'judge '),
          // One per pipeline at least: a panel's judge models batch side by side (calls/batch/batch-registry.ts).
          registry: o.batchRegistry ?? new BatchRegistry(),
        }
      : undefined,
    ...o.panel,
  });
}
