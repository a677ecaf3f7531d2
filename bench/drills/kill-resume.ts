import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mulberry32 } from '../../src/devtools/local-server/random.js';
import { startLocalServer } from '../../src/devtools/local-server/server.js';
import { writeWorkload } from '../lib/workload.js';
import { checkLedger, findRunDir, type LedgerCheck, spawnValuescope } from './drill-env.js';

export interface KillResumeOptions {
  repo: string;
  kills: number;
  scenarios: number;
  samples: number;
  concurrency: number;
  latencyMs: number;
  /**
   * Each kill lands uniformly in [minDelayMs, maxDelayMs] after the process wrote its first new
   * transcript line (so start-up time on a loaded machine does not decide where kills land).
   */
  minDelayMs: number;
  maxDelayMs: number;
  seed: number;
  /** Judge while the run goes (the LLM judge at the same server), as `valuescope run` does by default. */
  judge?: boolean;
}

/** With `judge`: every cell judged exactly once, and the stages after the run done. */
export interface JudgmentLedger {
  lines: number;
  unique: number;
  duplicates: number;
  /** Transcribed cells without a judgment. */
  unjudged: number;
  /** Judgments of cells the run does not have. */
  foreign: number;
  profileWritten: boolean;
  reportWritten: boolean;
}

export interface KillRecord {
  delayMs: number;
  /** True when SIGKILL hit a running process (false: it had already exited). */
  killed: boolean;
  linesAfter: number;
  tornBytesAfter: number;
}

export interface KillResumeResult {
  kills: KillRecord[];
  /** Kills that landed while cells were being written (some, not all, done). */
  midRunKills: number;
  finalExitCode: number | null;
  finalStderr: string;
  ledger: Omit<LedgerCheck, 'transcripts'>;
  serverRequests: number;
  /** Requests beyond one per cell: cells in flight at a kill, redone on resume. */
  extraRequests: number;
  judgments?: JudgmentLedger;
}

/**
 * `kill -9` a real `valuescope run` process at random moments, `kills` times in a row, each time
 * continuing with `--resume`; then one last `--resume` to the end. The server is in this process,
 * so its counters see every HTTP request the killed processes made.
 */
export async function killResumeDrill(o: KillResumeOptions): Promise<KillResumeResult> {
  const server = await startLocalServer({ latencyMs: o.latencyMs, jitterMs: o.latencyMs, seed: o.seed });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vs-drill-kill-'));
  const rand = mulberry32(o.seed);
  try {
    const w = await writeWorkload({
      dir,
      baseURL: `${server.url}/v1`,
      scenarios: o.scenarios,
      samples: o.samples,
      concurrency: o.concurrency,
      ...(o.judge ? { llmJudge: { baseURL: `${server.url}/v1`, concurrency: o.concurrency, pipelined: true } } : {}),
    });
    const judging = o.judge ? [] : ['--no-judge'];
    const argsFor = async (): Promise<string[]> => {
      const runDir = await findRunDir(w.outDir);
      return runDir
        ? ['run', '--resume', runDir, '--config', w.configPath, '--no-cache', ...judging]
        : ['run', '--config', w.configPath, '--no-cache', ...judging, '--out', w.outDir];
    };
    const kills: KillRecord[] = [];
    let prevLines = 0;
    let midRunKills = 0;
    for (let k = 0; k < o.kills; k++) {
      const delayMs = Math.round(o.minDelayMs + rand() * (o.maxDelayMs - o.minDelayMs));
      const before = prevLines;
      const armKill = async (): Promise<boolean> => {
        const rd = await findRunDir(w.outDir);
        return rd !== undefined && (await countLines(path.join(rd, 'transcripts.jsonl'))) > before;
      };
      const r = await spawnValuescope(o.repo, await argsFor(), { cwd: dir, killAfterMs: delayMs, armKill });
      const runDir = await findRunDir(w.outDir);
      const ledger = runDir ? await checkLedger(runDir, o.scenarios, o.samples) : undefined;
      const lines = ledger?.lines ?? 0;
      if (r.killed && lines > prevLines && lines < o.scenarios * o.samples) midRunKills++;
      kills.push({ delayMs, killed: r.killed, linesAfter: lines, tornBytesAfter: ledger?.tornBytes ?? 0 });
      prevLines = lines;
    }
    const final = await spawnValuescope(o.repo, await argsFor(), { cwd: dir });
    const runDir = await findRunDir(w.outDir);
    if (!runDir) throw new Error(`no run directory after the final run: ${final.stderr}`);
    const { transcripts, ...ledger } = await checkLedger(runDir, o.scenarios, o.samples);
    const serverRequests = server.stats().requests;
    const judgments = o.judge ? await judgmentLedger(runDir, new Set(transcripts.map((t) => t.cellId))) : undefined;
    return {
      ...(judgments ? { judgments } : {}),
      kills,
      midRunKills,
      finalExitCode: final.code,
      finalStderr: final.stderr,
      ledger,
      serverRequests,
      // Judge calls go to the same server: count only the model's requests.
      extraRequests: (server.stats().byModel['bench-model'] ?? serverRequests) - ledger.lines,
    };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function countLines(file: string): Promise<number> {
  const text = await readFile(file, 'utf8').catch(() => '');
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

async function judgmentLedger(runDir: string, transcribed: ReadonlySet<string>): Promise<JudgmentLedger> {
  const text = await readFile(path.join(runDir, 'judgments.jsonl'), 'utf8').catch(() => '');
  const ids = text
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { cellId: string }).cellId);
  const unique = new Set(ids);
  const exists = (f: string) =>
    readFile(path.join(runDir, f)).then(
      () => true,
      () => false,
    );
  return {
    lines: ids.length,
    unique: unique.size,
    duplicates: ids.length - unique.size,
    unjudged: [...transcribed].filter((id) => !unique.has(id)).length,
    foreign: [...unique].filter((id) => !transcribed.has(id)).length,
    profileWritten: await exists('profile.json'),
    reportWritten: await exists('report.html'),
  };
}
