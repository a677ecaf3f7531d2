import { existsSync, promises as fsp } from 'node:fs';
import { z } from 'zod';
import { JsonlAppender, readJsonl, storageError } from '../util/jsonl.js';
import { stamp } from './judgments-store.js';

/**
 * batches.jsonl / judge-batches.jsonl: batch mode's write-ahead journal. Before a batch is submitted
 * its items (custom id -> the request's stable `batchKey`) are appended and synced; the vendor's
 * batch id is appended as soon as the submit returns. A process killed at any moment leaves a
 * journal from which `--resume` reattaches every in-flight batch instead of submitting its
 * requests again (calls/batch/batching-model.ts).
 */
const PlannedSchema = z.object({
  v: z.literal(1),
  kind: z.literal('planned'),
  /** The batch's tag: custom ids start with it, OpenAI batch metadata carries it. */
  tag: z.string(),
  /** Which configured model (or judge model) the batch belongs to. */
  modelId: z.string(),
  provider: z.string(),
  model: z.string(),
  at: z.string(),
  items: z.array(z.object({ customId: z.string(), batchKey: z.string() })),
});

const SubmittedSchema = z.object({
  v: z.literal(1),
  kind: z.literal('submitted'),
  tag: z.string(),
  batchId: z.string(),
  at: z.string(),
  /** True when a resumed process found the batch on the vendor's side after a crash before this line. */
  adopted: z.boolean().optional(),
});

/** The submit failed, or a resumed process could not find the batch: its items are not in flight. */
const AbandonedSchema = z.object({
  v: z.literal(1),
  kind: z.literal('abandoned'),
  tag: z.string(),
  at: z.string(),
  reason: z.string(),
});

/** Results fetched; informational (the run's transcripts remain the record of what is done). */
const EndedSchema = z.object({
  v: z.literal(1),
  kind: z.literal('ended'),
  tag: z.string(),
  batchId: z.string(),
  at: z.string(),
  counts: z.record(z.string(), z.number().int().nonnegative()),
});

const BatchJournalLineSchema = z.discriminatedUnion('kind', [PlannedSchema, SubmittedSchema, AbandonedSchema, EndedSchema]);
export type BatchJournalLine = z.infer<typeof BatchJournalLineSchema>;
type Planned = z.infer<typeof PlannedSchema>;

/** One journaled batch as a resumed process sees it. */
export interface JournaledBatch {
  planned: Planned;
  /** Absent when the process died between the planned line and the submit's answer. */
  batchId?: string | undefined;
  /** ISO time the batch id was recorded (or adopted). */
  submittedAt?: string | undefined;
  abandoned: boolean;
  ended: boolean;
}

/**
 * Whether a run's journal holds batches that were (or may have been) submitted and have not ended:
 * a stage with batches in flight keeps batching, so its next pass reattaches to them instead of
 * asking again. Once they all ended the config's mode applies again.
 */
export async function hasJournaledBatches(file: string): Promise<boolean> {
  const live = new Set<string>();
  for await (const { value } of readJsonl(file, BatchJournalLineSchema)) {
    if (value.kind === 'planned') live.add(value.tag);
    if (value.kind === 'abandoned' || value.kind === 'ended') live.delete(value.tag);
  }
  return live.size > 0;
}

/**
 * `judge --force` judges afresh: the judge's journal is kept beside as `<name>.<timestamp>.jsonl`
 * (with the judgments moved aside), so none of its batches is reattached or makes the judge batch.
 */
export async function setJournalAside(file: string, now: Date): Promise<string | null> {
  if (!existsSync(file)) return null;
  const aside = file.replace(/\.jsonl$/, `.${stamp(now)}.jsonl`);
  try {
    await fsp.rename(file, aside);
  } catch (e) {
    throw storageError(file, e);
  }
  return aside;
}

/** Undoes setJournalAside after a failed start (a journal written since is kept: nothing is overwritten). */
export async function putJournalBack(file: string, aside: string): Promise<void> {
  const now = await fsp.stat(file).catch(() => null);
  if (now && now.size > 0) return;
  if (now) await fsp.rm(file);
  await fsp.rename(aside, file);
}

/** Append-only journal of one run directory's batches (one file per stage: models, judge). */
export class BatchJournal {
  private constructor(
    readonly file: string,
    private readonly appender: JsonlAppender,
    /** Batches found in the file when it was opened, in order. */
    readonly batches: ReadonlyMap<string, JournaledBatch>,
  ) {}

  static async open(file: string, scrub?: (line: string) => string): Promise<BatchJournal> {
    const batches = new Map<string, JournaledBatch>();
    for await (const { value } of readJsonl(file, BatchJournalLineSchema)) {
      if (value.kind === 'planned') batches.set(value.tag, { planned: value, abandoned: false, ended: false });
      const b = batches.get(value.tag);
      if (!b) continue;
      if (value.kind === 'submitted') {
        b.batchId = value.batchId;
        b.submittedAt ??= value.adopted ? b.planned.at : value.at;
      }
      if (value.kind === 'abandoned') b.abandoned = true;
      if (value.kind === 'ended') b.ended = true;
    }
    return new BatchJournal(file, await JsonlAppender.open(file, { scrub }), batches);
  }

  /** Appends and syncs: a journal line must be on disk before the action it announces. */
  async record(line: BatchJournalLine): Promise<void> {
    await this.appender.append(line);
    await this.appender.sync();
  }

  async close(): Promise<void> {
    await this.appender.close();
  }
}
