import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirectoryLockedError } from '../src/core/errors.js';
import { lockDir } from '../src/records/dir-lock.js';

const opts = (command: string) => ({ command, now: () => new Date('2026-12-05T12:03:00Z') });

describe('one writer per directory (records/dir-lock.ts)', () => {
  it('refuses a second writer with who holds it and how to fix it, and lets the next one in after release', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vs-lock-'));
    const first = await lockDir(dir, opts('run'));
    const second = await lockDir(dir, { ...opts('judge'), cwd: path.dirname(dir) }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(DirectoryLockedError);
    const msg = (second as Error).message;
    expect(msg).toContain(
      `${path.basename(dir)} is being written by \`valuescope run\` (pid ${process.pid} on host ${hostname()}) since 12:03:00 UTC`,
    );
    expect(msg).toContain(`remove ${path.join(path.basename(dir), '.lock')} if that process is gone`);
    expect((second as DirectoryLockedError).exitCode).toBe(2);
    await first.release();
    const third = await lockDir(dir, opts('judge'));
    await third.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over at once a lock whose holder died on this host (kill -9), but not one held on another host', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vs-lock-'));
    const held = await lockDir(dir, opts('run'));
    const holderFile = path.join(dir, '.lock', 'holder.json');
    const holder = JSON.parse(await readFile(holderFile, 'utf8'));
    // A pid that cannot be alive: beyond the kernel's pid range.
    await writeFile(holderFile, JSON.stringify({ ...holder, pid: 2 ** 30 }));
    const next = await lockDir(dir, opts('run --resume'));
    expect(JSON.parse(await readFile(holderFile, 'utf8')).command).toBe('run --resume');
    await writeFile(holderFile, JSON.stringify({ ...holder, pid: 2 ** 30, host: 'some-other-host' }));
    await expect(lockDir(dir, opts('judge'))).rejects.toBeInstanceOf(DirectoryLockedError);
    await next.release();
    await held.release();
  });

  it("stays its holder's across heartbeats (recording the holder does not make the lock look taken over)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vs-lock-'));
    const lost: Error[] = [];
    const held = await lockDir(dir, { ...opts('run'), heartbeatMs: 50, onCompromised: (e) => lost.push(e) });
    await new Promise((r) => setTimeout(r, 400));
    expect(lost).toEqual([]);
    await expect(lockDir(dir, opts('judge'))).rejects.toBeInstanceOf(DirectoryLockedError);
    await held.release();
  });
});
