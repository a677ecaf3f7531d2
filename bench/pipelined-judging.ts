import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { runMeasured } from './lib/measured-child.js';
import { startChildServer } from './lib/server-child.js';
import { BENCH_KEY_ENV, writeWorkload } from './lib/workload.js';

/**
 * Judging while the run goes (the default) against running first and judging after, at one size:
 * cells = scenarios x 3 samples, the LLM judge (`default` definition) pointed at the same local
 * server (no latency, optional faults). Each command runs in its own child process; wall time and
 * peak RSS come from the child. Issue #11's goal: pipelined <= 1.3x the wall time and <= 1.2x the
 * peak memory of the two-step path, and no attempt timing out that the server answered in time.
 */
export interface PipelinedJudgingResult {
  cells: number;
  concurrency: number;
  faultRate: number;
  pipelined: { wallMs: number; maxRssMB: number; code: number; judged: number; timeouts: number };
  twoStep: { runMs: number; judgeMs: number; wallMs: number; maxRssMB: number; judged: number; timeouts: number };
  wallRatio: number;
  rssRatio: number;
  /** Requests the server hung (it never answers them: only these may end in a timeout). */
  serverHangs: number;
  loadAverage: number;
}

export async function benchPipelinedJudging(o: {
  cells: number;
  concurrency: number;
  faultRate?: number;
}): Promise<PipelinedJudgingResult> {
  const faultRate = o.faultRate ?? 0;
  const server = await startChildServer({
    seed: 5,
    errorRate: faultRate * 0.6,
    rate429: faultRate * 0.2,
    hangRate: faultRate * 0.2,
    retryAfterMs: 50,
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'vs-bench-pipe-'));
  const env = { ...process.env, [BENCH_KEY_ENV]: 'sk-bench-not-a-secret' };
  try {
    const loadAverage = loadavg()[0] ?? 0;
    const work = async (name: string, pipelined: boolean) =>
      writeWorkload({
        dir: path.join(dir, name),
        baseURL: `${server.url}/v1`,
        scenarios: Math.ceil(o.cells / 3),
        samples: 3,
        concurrency: o.concurrency,
        timeoutMs: 5_000,
        llmJudge: { baseURL: `${server.url}/v1`, concurrency: o.concurrency, pipelined },
      });
    const a = await work('pipelined', true);
    const pipe = await runMeasured(['run', '--config', a.configPath, '--no-cache', '--no-report', '--out', a.outDir], { env });
    const aCounts = await counts(a.outDir);
    const b = await work('two-step', true);
    const run = await runMeasured(['run', '--config', b.configPath, '--no-cache', '--no-judge', '--no-report', '--out', b.outDir], { env });
    const runDir = await onlyDir(b.outDir);
    const judge = await runMeasured(['judge', runDir, '--config', b.configPath], { env });
    const bCounts = await counts(b.outDir);
    const twoStepWall = run.wallMs + judge.wallMs;
    const twoStepRss = Math.max(run.maxRssMB, judge.maxRssMB);
    const stats = await server.stats();
    return {
      cells: Math.ceil(o.cells / 3) * 3,
      concurrency: o.concurrency,
      faultRate,
      pipelined: { wallMs: pipe.wallMs, maxRssMB: pipe.maxRssMB, code: pipe.code, ...aCounts },
      twoStep: { runMs: run.wallMs, judgeMs: judge.wallMs, wallMs: twoStepWall, maxRssMB: twoStepRss, ...bCounts },
      wallRatio: pipe.wallMs / twoStepWall,
      rssRatio: pipe.maxRssMB / twoStepRss,
      serverHangs: stats.byFault.hang ?? 0,
      loadAverage,
    };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function onlyDir(outDir: string): Promise<string> {
  const { readdir } = await import('node:fs/promises');
  const d = (await readdir(outDir, { withFileTypes: true })).filter((e) => e.isDirectory());
  if (d.length !== 1) throw new Error(`expected one run under ${outDir}`);
  return path.join(outDir, d[0]!.name);
}

/** Judgments written and attempts that ended in a timeout (cells and judgments). */
async function counts(outDir: string): Promise<{ judged: number; timeouts: number }> {
  const runDir = await onlyDir(outDir);
  const lines = async (f: string) => (await readFile(path.join(runDir, f), 'utf8').catch(() => '')).split('\n').filter(Boolean);
  const judgments = await lines('judgments.jsonl');
  const transcripts = await lines('transcripts.jsonl');
  const timeouts = [...judgments, ...transcripts].filter((l) => l.includes('"kind":"timeout"')).length;
  return { judged: judgments.length, timeouts };
}

if (process.argv[1]?.endsWith('pipelined-judging.js')) {
  const cells = Number(process.argv[2] ?? 2052);
  const concurrency = Number(process.argv[3] ?? 32);
  const faultRate = Number(process.argv[4] ?? 0);
  console.log(JSON.stringify(await benchPipelinedJudging({ cells, concurrency, faultRate }), null, 2));
}
