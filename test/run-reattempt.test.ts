import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BENCH_KEY_ENV, writeWorkload } from '../bench/lib/workload.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { runCli } from './helpers/cli.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 5 });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.setOptions({ seed: 5, badJsonRate: undefined, errorRate: undefined }));

const env = { [BENCH_KEY_ENV]: 'sk-local-test' };

interface Line {
  cellId: string;
  error: { kind: string } | null;
  response?: unknown;
}

function lines(file: string): Line[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line);
}

/** Per cell: how many lines, and whether any succeeded. */
function byCell(file: string): Map<string, { lines: number; ok: number }> {
  const out = new Map<string, { lines: number; ok: number }>();
  for (const l of lines(file)) {
    const c = out.get(l.cellId) ?? { lines: 0, ok: 0 };
    c.lines++;
    if (l.error === null) c.ok++;
    out.set(l.cellId, c);
  }
  return out;
}

async function workload(name: string, o: { judge: boolean; maxAttempts?: number }) {
  const dir = await mkdtemp(path.join(tmpdir(), `vs-${name}-`));
  const w = await writeWorkload({
    dir,
    baseURL: `${server.url}/v1`,
    scenarios: 6,
    samples: 2,
    concurrency: 4,
    maxAttempts: o.maxAttempts ?? 6,
    ...(o.judge ? { llmJudge: { baseURL: `${server.url}/v1`, concurrency: 4, pipelined: true } } : {}),
  });
  return { dir, ...w };
}

const onlyRun = (outDir: string): string => path.join(outDir, readdirSync(outDir)[0]!);

describe('a run is complete, or says it is not', () => {
  it('--resume re-attempts the judgments that failed: every cell ends with exactly one successful judgment', async () => {
    const w = await workload('rejudge', { judge: true });
    server.setOptions({ badJsonRate: 0.5 });
    const first = await runCli(['run', '--config', w.configPath, '--out', w.outDir], { cwd: w.dir, env });
    expect(first.code).toBe(3);
    const runDir = onlyRun(w.outDir);
    const judgments = path.join(runDir, 'judgments.jsonl');
    const failed = [...byCell(judgments).values()].filter((c) => c.ok === 0).length;
    expect(failed).toBeGreaterThan(0);

    server.setOptions({ badJsonRate: undefined });
    const resumed = await runCli(['run', '--resume', runDir, '--config', w.configPath], { cwd: w.dir, env });
    expect(resumed.code, resumed.stderr).toBe(0);
    const cells = byCell(judgments);
    expect(cells.size).toBe(12);
    for (const c of cells.values()) expect(c.ok).toBe(1);
    expect(lines(judgments)).toHaveLength(12 + failed); // appended re-attempts, nothing rewritten
    const summary = JSON.parse(readFileSync(path.join(runDir, 'judge-summary.json'), 'utf8'));
    expect(summary).toMatchObject({ cells: 12, judged: 12, errors: 0 });
    const profile = JSON.parse(readFileSync(path.join(runDir, 'profile.json'), 'utf8'));
    expect(profile.notes.filter((n: string) => n.startsWith('INCOMPLETE'))).toEqual([]);
    expect(profile.models[0].overall.cells).toBe(12);
    expect(existsSync(path.join(runDir, 'report.html'))).toBe(true);
  });

  it('`judge RUN` without --force re-attempts failed judgments too', async () => {
    const w = await workload('rejudge-cmd', { judge: true });
    server.setOptions({ badJsonRate: 0.5 });
    expect((await runCli(['run', '--config', w.configPath, '--out', w.outDir], { cwd: w.dir, env })).code).toBe(3);
    server.setOptions({ badJsonRate: undefined });
    const runDir = onlyRun(w.outDir);
    const judge = await runCli(['judge', runDir, '--config', w.configPath], { cwd: w.dir, env });
    expect(judge.code, judge.stderr).toBe(0);
    expect(judge.stdout).toMatch(/0 judge errors of 12 cells/);
    for (const c of byCell(path.join(runDir, 'judgments.jsonl')).values()) expect(c.ok).toBe(1);
  });

  it('--retry-errors requests again the cells that ended in error; counts, judgments and report follow the new answers', async () => {
    const w = await workload('retry-errors', { judge: true, maxAttempts: 1 });
    server.setOptions({ errorRate: 0.4 });
    const first = await runCli(['run', '--config', w.configPath, '--out', w.outDir], { cwd: w.dir, env });
    expect(first.code).toBe(3);
    const runDir = onlyRun(w.outDir);
    const transcripts = path.join(runDir, 'transcripts.jsonl');
    const errored = [...byCell(transcripts).values()].filter((c) => c.ok === 0).length;
    expect(errored).toBeGreaterThan(0);

    server.setOptions({ errorRate: undefined });
    const plain = await runCli(['run', '--resume', runDir, '--config', w.configPath], { cwd: w.dir, env });
    expect(lines(transcripts)).toHaveLength(12); // a plain resume never re-requests a finished cell
    expect(plain.code).toBe(3);

    const retry = await runCli(['run', '--resume', runDir, '--config', w.configPath, '--retry-errors'], { cwd: w.dir, env });
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.stdout).toMatch(/completed, 12\/12 cells, 0 errored/);
    expect(lines(transcripts)).toHaveLength(12 + errored);
    for (const c of byCell(transcripts).values()) expect(c.ok).toBe(1);
    const judged = byCell(path.join(runDir, 'judgments.jsonl'));
    for (const c of judged.values()) expect(c.ok).toBe(1);
    const manifest = JSON.parse(readFileSync(path.join(runDir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ status: 'completed', counts: { planned: 12, done: 12, errored: 0 } });
    expect(manifest.notes.join('\n')).toMatch(new RegExp(`retrying ${errored} cells that ended in error`));
    const html = readFileSync(path.join(runDir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/http_500/);
  });

  it('--retry-errors without --resume is a usage error', async () => {
    const w = await workload('retry-usage', { judge: false });
    const r = await runCli(['run', '--config', w.configPath, '--retry-errors'], { cwd: w.dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--retry-errors .* --resume/);
    expect(existsSync(w.outDir)).toBe(false);
  });

  it('--resume uses the config file the run started with unless --config is given', async () => {
    const w = await workload('resume-config', { judge: false, maxAttempts: 1 });
    const elsewhere = path.join(w.dir, 'elsewhere');
    await mkdir(elsewhere);
    server.setOptions({ errorRate: 0.4 });
    const rel = path.relative(elsewhere, w.configPath);
    expect((await runCli(['run', '--config', rel, '--no-judge'], { cwd: elsewhere, env })).code).toBe(3);
    server.setOptions({ errorRate: undefined });
    const runDir = onlyRun(w.outDir);
    // No config.yaml in cwd: only the one recorded in the manifest can be meant.
    const r = await runCli(['run', '--resume', runDir, '--retry-errors', '--no-judge'], { cwd: elsewhere, env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(runDir, 'manifest.json'), 'utf8')).configFile).toBe(w.configPath);
  });
});

describe('report refuses incomplete input', () => {
  it('an unjudged run: exit 2 naming the fix; --allow-incomplete writes it with INCOMPLETE at the top', async () => {
    const w = await workload('report-incomplete', { judge: false });
    expect((await runCli(['run', '--config', w.configPath, '--no-judge', '--out', w.outDir], { cwd: w.dir, env })).code).toBe(0);
    const runDir = onlyRun(w.outDir);
    const refused = await runCli(['report', runDir], { cwd: w.dir, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/no cell is judged yet; judge them with: valuescope judge/);
    expect(existsSync(path.join(runDir, 'report.html'))).toBe(false);
    const allowed = await runCli(['report', runDir, '--allow-incomplete', '--no-charts'], { cwd: w.dir, env });
    expect(allowed.code, allowed.stderr).toBe(0);
    const md = readFileSync(path.join(runDir, 'report.md'), 'utf8');
    const headings = md.split('\n').filter((l) => l.startsWith('## ') || l.startsWith('### '));
    expect(headings[1]).toBe('### INCOMPLETE INPUT'); // right after the title
    expect(readFileSync(path.join(runDir, 'report.html'), 'utf8')).toMatch(/INCOMPLETE INPUT/);
  });

  it('a half-judged run is refused too, naming how many cells have no judgment', async () => {
    const w = await workload('report-half', { judge: false });
    expect((await runCli(['run', '--config', w.configPath, '--no-judge', '--out', w.outDir], { cwd: w.dir, env })).code).toBe(0);
    const runDir = onlyRun(w.outDir);
    const transcripts = readFileSync(path.join(runDir, 'transcripts.jsonl'), 'utf8').split('\n').filter(Boolean);
    // Judge only the first half: a transcripts file cut to 6 lines, judged, then restored.
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(runDir, 'transcripts.jsonl'), `${transcripts.slice(0, 6).join('\n')}\n`);
    expect((await runCli(['judge', runDir, '--config', w.configPath], { cwd: w.dir, env })).code).toBe(0);
    await writeFile(path.join(runDir, 'transcripts.jsonl'), `${transcripts.join('\n')}\n`);
    const refused = await runCli(['report', runDir], { cwd: w.dir, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/6 of 12 cells have no judgment/);
  });
});
