import { execFileSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startLocalServer } from '../../src/devtools/local-server/server.js';
import { writeWorkload } from '../lib/workload.js';
import { checkLedger, findRunDir, type SpawnedRun, spawnValuescope } from './drill-env.js';

export interface StorageStep {
  exitCode: number | null;
  stderr: string;
  linesAfter: number;
  tornBytesAfter: number;
  manifestParses: boolean;
}

export interface StorageDrillResult {
  /** Fresh run under `ulimit -f`: transcripts.jsonl hits the file-size limit mid-run (EFBIG). */
  sizeLimit: StorageStep;
  /** `--resume` of a copy of the run on a full filesystem (a small tmpfs, filled up): ENOSPC. Needs root to mount. */
  diskFull: (StorageStep & { completeLinesUnchanged: boolean }) | { skipped: string };
  /** `--resume` with the run directory chmod 0555 (only meaningful when not root). */
  readOnly: (StorageStep & { completeLinesUnchanged: boolean }) | { skipped: string };
  /** `--resume` after the cause is removed. */
  fixed: StorageStep & { unique: number; duplicates: number; missing: number; textMismatches: number };
}

export async function storageFailureDrill(o: {
  repo: string;
  scenarios: number;
  samples: number;
  fileSizeLimitKiB: number;
}): Promise<StorageDrillResult> {
  const server = await startLocalServer({ latencyMs: 5, seed: 3 });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vs-drill-storage-'));
  try {
    const w = await writeWorkload({ dir, baseURL: `${server.url}/v1`, scenarios: o.scenarios, samples: o.samples, concurrency: 8 });
    const step = async (r: SpawnedRun): Promise<StorageStep> => {
      const runDir = await findRunDir(w.outDir);
      const ledger = runDir ? await checkLedger(runDir, o.scenarios, o.samples) : undefined;
      const manifestParses = runDir
        ? await readFile(path.join(runDir, 'manifest.json'), 'utf8').then(
            (t) => {
              JSON.parse(t);
              return true;
            },
            () => false,
          )
        : false;
      return { exitCode: r.code, stderr: r.stderr, linesAfter: ledger?.lines ?? 0, tornBytesAfter: ledger?.tornBytes ?? 0, manifestParses };
    };
    const completeLines = async (runDir: string): Promise<string> => {
      const raw = await readFile(path.join(runDir, 'transcripts.jsonl'), 'utf8');
      return raw.slice(0, raw.lastIndexOf('\n') + 1);
    };

    const sizeLimit = await step(
      await spawnValuescope(o.repo, ['run', '--config', w.configPath, '--no-cache', '--no-judge', '--out', w.outDir], {
        cwd: dir,
        fileSizeLimitKiB: o.fileSizeLimitKiB,
      }),
    );
    const runDir = await findRunDir(w.outDir);
    if (!runDir) throw new Error(`the size-limited run created no run directory: ${sizeLimit.stderr}`);
    const resume = ['run', '--resume', runDir, '--config', w.configPath, '--no-cache', '--no-judge'];

    const diskFull = await onFullDisk(dir, runDir, async (copy) => {
      const before = await completeLines(copy);
      const r = await spawnValuescope(o.repo, ['run', '--resume', copy, ...resume.slice(3)], { cwd: dir });
      const ledger = await checkLedger(copy, o.scenarios, o.samples);
      const manifestParses = await readFile(path.join(copy, 'manifest.json'), 'utf8').then(
        (t) => Boolean(JSON.parse(t)),
        () => false,
      );
      return {
        exitCode: r.code,
        stderr: r.stderr,
        linesAfter: ledger.lines,
        tornBytesAfter: ledger.tornBytes,
        manifestParses,
        completeLinesUnchanged: (await completeLines(copy)) === before,
      };
    });

    let readOnly: StorageDrillResult['readOnly'];
    if (process.getuid?.() === 0)
      readOnly = { skipped: 'running as root, where chmod does not stop writes (the full-disk and ulimit -f steps cover it)' };
    else {
      const ro = await completeLines(runDir);
      await chmod(path.join(runDir, 'transcripts.jsonl'), 0o444);
      await chmod(runDir, 0o555);
      const r = await step(await spawnValuescope(o.repo, resume, { cwd: dir }));
      await chmod(runDir, 0o755);
      await chmod(path.join(runDir, 'transcripts.jsonl'), 0o644);
      readOnly = { ...r, completeLinesUnchanged: (await completeLines(runDir)) === ro };
    }

    const fixedRun = await step(await spawnValuescope(o.repo, resume, { cwd: dir }));
    const l = await checkLedger(runDir, o.scenarios, o.samples);
    return {
      sizeLimit,
      diskFull,
      readOnly,
      fixed: { ...fixedRun, unique: l.unique, duplicates: l.duplicates, missing: l.missing, textMismatches: l.textMismatches },
    };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `step` on a copy of the run directory placed on a 2 MiB tmpfs that is then filled to the
 * last byte, so the next write fails with ENOSPC as on a full disk. Mounting needs root; without it
 * the step is skipped with the reason.
 */
async function onFullDisk<T>(dir: string, runDir: string, step: (copy: string) => Promise<T>): Promise<T | { skipped: string }> {
  const mnt = path.join(dir, 'full-disk');
  await mkdir(mnt, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt], { stdio: 'ignore' });
  } catch (e) {
    return { skipped: `cannot mount a small tmpfs to fill (${(e as Error).message.split('\n')[0]}): needs root` };
  }
  try {
    const copy = path.join(mnt, path.basename(runDir));
    await cp(runDir, copy, { recursive: true });
    fillUp(path.join(mnt, 'filler'));
    return await step(copy);
  } finally {
    execFileSync('umount', [mnt], { stdio: 'ignore' });
  }
}

function fillUp(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(4096);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
}
