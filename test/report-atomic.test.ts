import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { AppContext } from '../src/core/context.js';
import { writeRunFixture } from './report-run-fixture.js';

function ctx(cwd: string, err: string[]): AppContext {
  return {
    cwd,
    env: {},
    stdout: { write: () => true },
    stderr: { write: (s: string) => err.push(s) },
    now: () => new Date(0),
    fetch: globalThis.fetch,
    signal: new AbortController().signal,
  };
}

describe('report writes are atomic', () => {
  it('a report that fails part-way leaves the previous report.html and report.md byte for byte, and no temp file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vs-report-atomic-'));
    const run = path.join(dir, 'run');
    writeRunFixture(run, ['model-a']);
    expect(await main(['report', 'run', '--no-charts'], ctx(dir, []))).toBe(0);
    const html = readFileSync(path.join(run, 'report.html'));
    const md = readFileSync(path.join(run, 'report.md'));
    expect(html.length).toBeGreaterThan(1000);
    // A garbage line in the middle of the transcripts: the transcript browser cannot be built.
    const file = path.join(run, 'transcripts.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.splice(1, 0, '{"this is": not json');
    writeFileSync(file, lines.join('\n'));
    const err: string[] = [];
    expect(await main(['report', 'run', '--no-charts'], ctx(dir, err))).toBe(2);
    expect(err.join('')).toContain('transcripts.jsonl:2');
    expect(readFileSync(path.join(run, 'report.html')).equals(html)).toBe(true);
    expect(readFileSync(path.join(run, 'report.md')).equals(md)).toBe(true);
    expect(readdirSync(run).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('a file where the output directory should be: exit 2 naming the path and the fix, never "resume the run"', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vs-report-atomic-'));
    writeRunFixture(path.join(dir, 'run'), ['model-a']);
    writeFileSync(path.join(dir, 'taken'), 'a file, not a directory');
    const err: string[] = [];
    expect(await main(['report', 'run', '--no-charts', '--out', 'taken'], ctx(dir, err))).toBe(2);
    const msg = err.join('');
    expect(msg).toContain(`cannot write ${path.join(dir, 'taken')}`);
    expect(msg).toContain('a file is where a directory is expected, or a directory where a file is: move it or choose another path');
    expect(msg).not.toContain('resume');
    expect(msg).not.toContain('this is a bug');
  });
});
