import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { inRun, JsonlAppender, readJsonl, storageError } from '../util/jsonl.js';
import { type DirLock, type LockOptions, lockDir } from './dir-lock.js';
import { type Manifest, ManifestSchema } from './manifest.js';
import { jsonErrorLine, notARunDirectory } from './run-dir-check.js';
import { RUN_FILES, runFile } from './run-files.js';
import { type Transcript, TranscriptSchema } from './transcript.js';

/** Removes secrets from a serialised record before it is written (util/secret-scrubber.ts). */
export type Scrub = (text: string) => string;

/** Sortable and unique enough: UTC second + 4 random hex digits, e.g. 2026-11-24T10-15-03Z-a1b2. */
export function newRunId(now: Date, random: () => number): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
  const suffix = Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, '0');
  return `${stamp}-${suffix}`;
}

/** What an existing run directory already holds. */
export interface FinishedCells {
  /**
   * cellId -> whether that cell ended with an error, and how many of its lines are errors (a
   * re-attempt after a recorded failure is a new request: batch mode keys it by this count).
   */
  cells: Map<string, { errored: boolean; failures: number }>;
  /** Bytes of a torn last line that was dropped (a crash mid-append). */
  tornBytes: number;
  /** Lines for a cell that already had a successful line (kept: the first). */
  duplicates: number;
}

/**
 * results/<run-id>/: manifest.json (rewritten atomically: temp file + rename) and
 * transcripts.jsonl (append-only, one write per record). `kill -9` at any moment leaves a
 * readable manifest and at most one torn last transcript line, which `open` drops and repairs.
 */
export class RunStore {
  private logClosed = false;

  private constructor(
    readonly dir: string,
    private readonly appender: JsonlAppender,
    private readonly lock: DirLock,
  ) {}

  get manifestFile(): string {
    return runFile(this.dir, 'manifest');
  }

  get transcriptsFile(): string {
    return runFile(this.dir, 'transcripts');
  }

  /**
   * Creates results/<runId>/ under `outDir`, takes its write lock, writes the first manifest and
   * opens the transcript log.
   */
  static async create(outDir: string, manifest: Manifest, lock: LockOptions, scrub?: Scrub): Promise<RunStore> {
    const dir = path.join(outDir, manifest.runId);
    try {
      await fsp.mkdir(outDir, { recursive: true });
      await fsp.mkdir(dir);
    } catch (e) {
      throw storageError(dir, e, 'run it again');
    }
    const held = await lockDir(dir, lock);
    try {
      await writeManifest(dir, manifest);
      return new RunStore(dir, await JsonlAppender.open(runFile(dir, 'transcripts'), { scrub }), held);
    } catch (e) {
      await held.release();
      throw e;
    }
  }

  /**
   * Opens an existing run for resuming: takes its write lock (a second writer exits 2), then reads
   * its manifest and finished cells and repairs a torn tail.
   */
  static async open(
    dir: string,
    lock: LockOptions,
    scrub?: Scrub,
  ): Promise<{ store: RunStore; manifest: Manifest; finished: FinishedCells }> {
    await readManifest(dir); // not a run directory: say so before creating a lock in it
    const held = await lockDir(dir, lock);
    try {
      const manifest = await readManifest(dir);
      const finished = await readFinished(runFile(dir, 'transcripts'));
      const appender = await JsonlAppender.open(runFile(dir, 'transcripts'), { scrub });
      return { store: new RunStore(dir, appender, held), manifest, finished };
    } catch (e) {
      await held.release();
      throw e;
    }
  }

  async append(t: Transcript): Promise<void> {
    await this.appender.append(t).catch((e: unknown) => {
      throw inRun(e);
    });
  }

  async writeManifest(manifest: Manifest): Promise<void> {
    await writeManifest(this.dir, manifest).catch((e: unknown) => {
      throw inRun(e);
    });
  }

  /** Syncs and closes transcripts.jsonl; the lock stays held (the run's last writes still follow). */
  async closeLog(): Promise<void> {
    if (this.logClosed) return;
    this.logClosed = true;
    await this.appender.sync();
    await this.appender.close();
  }

  /** Closes the log and releases the run's lock: after this, another process may write the run. */
  async close(): Promise<void> {
    try {
      await this.closeLog();
    } finally {
      await this.lock.release();
    }
  }
}

export async function readManifest(dir: string): Promise<Manifest> {
  const file = runFile(dir, 'manifest');
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw await notARunDirectory(dir);
    throw new InputError(`cannot read ${RUN_FILES.manifest} (${code ?? (e as Error).message}): check its permissions`, { file });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(
      `not valid JSON (${(e as Error).message}): the run's manifest is damaged (valuescope writes it atomically, so something else edited it); restore it from a copy`,
      { file, line: jsonErrorLine(text, e) },
    );
  }
  const r = ManifestSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more)` : '';
    throw new InputError(`not a valuescope manifest: ${issue?.message ?? 'invalid'}${more}; restore it from a copy`, {
      file,
      path: issue?.path.join('.') ?? '',
    });
  }
  return r.data;
}

async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(runFile(dir, 'manifest'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Streams transcripts.jsonl and collects finished cells, each by its effective line (effective-records.ts). */
async function readFinished(file: string): Promise<FinishedCells> {
  const out: FinishedCells = { cells: new Map(), tornBytes: 0, duplicates: 0 };
  for await (const { value } of readJsonl(file, TranscriptSchema, { onTorn: (_l, bytes) => (out.tornBytes = bytes) })) {
    const prior = out.cells.get(value.cellId);
    const failures = (prior?.failures ?? 0) + (value.error !== null ? 1 : 0);
    // A success is never replaced; an errored line is, by a re-attempt (effective-records.ts).
    if (prior && !prior.errored) out.duplicates++;
    else out.cells.set(value.cellId, { errored: value.error !== null, failures });
  }
  return out;
}
