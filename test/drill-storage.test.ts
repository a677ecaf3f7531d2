import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { storageFailureDrill } from '../bench/drills/storage-failure.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('drill: results directory not writable / disk full', () => {
  it('fails with exit 2 naming the file and the fix, corrupts nothing, and resumes once fixed', async () => {
    const r = await storageFailureDrill({ repo, scenarios: 40, samples: 3, fileSizeLimitKiB: 24 });

    // Mid-run: transcripts.jsonl reaches the file-size limit; a partial write leaves a torn tail at most.
    expect(r.sizeLimit.exitCode).toBe(2);
    expect(r.sizeLimit.stderr).toMatch(/cannot write \S*transcripts\.jsonl \(EFBIG\)/);
    expect(r.sizeLimit.stderr).toMatch(/\(EFBIG\): a file-size limit or disk quota was reached .*then resume the run/);
    expect(r.sizeLimit.stderr).toMatch(/--resume/);
    expect(r.sizeLimit.linesAfter).toBeGreaterThan(5);
    expect(r.sizeLimit.linesAfter).toBeLessThan(120);
    expect(r.sizeLimit.manifestParses).toBe(true);

    // Disk full on resume: the manifest write fails cleanly; complete transcript lines untouched.
    // Needs root to mount the small filesystem it fills; CI runs as root, so there it always runs.
    if (process.getuid?.() === 0) expect(r.diskFull).toHaveProperty('exitCode');
    if ('exitCode' in r.diskFull) {
      expect(r.diskFull.exitCode).toBe(2);
      expect(r.diskFull.stderr).toMatch(/cannot write \S*manifest\.json \(ENOSPC\): the disk is full: free space, then resume the run/);
      expect(r.diskFull.completeLinesUnchanged).toBe(true);
      expect(r.diskFull.manifestParses).toBe(true);
    }
    if ('exitCode' in r.readOnly) {
      expect(r.readOnly.exitCode).toBe(2);
      expect(r.readOnly.stderr).toMatch(/not writable/);
      expect(r.readOnly.completeLinesUnchanged).toBe(true);
    }

    // Fixed: the run resumes and ends complete, exactly once, with the server's exact answers.
    expect(r.fixed.exitCode).toBe(0);
    expect(r.fixed.unique).toBe(120);
    expect(r.fixed.duplicates).toBe(0);
    expect(r.fixed.missing).toBe(0);
    expect(r.fixed.textMismatches).toBe(0);
    expect(r.fixed.tornBytesAfter).toBe(0);
  }, 40_000);
});
