import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildAnswer } from '../../src/devtools/local-server/answer.js';
import type { Transcript } from '../../src/records/transcript.js';
import { BENCH_KEY_ENV, scenarioId, scenarioText } from '../lib/workload.js';

export const MODEL = 'bench-model';

/** Environment for a spawned `valuescope`: no inherited secrets, only PATH and the bench key. */
export function childEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', [BENCH_KEY_ENV]: 'sk-bench-not-a-secret' };
}

export interface SpawnedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  killed: boolean;
}

/**
 * Spawns `node bin/valuescope.js ARGS` (optionally under `ulimit -f BLOCKS`) and, with `killAfterMs`,
 * sends SIGKILL at that moment if it is still running.
 */
export function spawnValuescope(
  repo: string,
  args: string[],
  o: { cwd: string; killAfterMs?: number; fileSizeLimitKiB?: number; armKill?: () => Promise<boolean> },
): Promise<SpawnedRun> {
  const bin = path.join(repo, 'bin', 'valuescope.js');
  const [cmd, argv] =
    o.fileSizeLimitKiB !== undefined
      ? ['bash', ['-c', `ulimit -f ${o.fileSizeLimitKiB} && exec "$0" "$@"`, process.execPath, bin, ...args]]
      : [process.execPath, [bin, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd as string, argv as string[], { cwd: o.cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    let timer: NodeJS.Timeout | undefined;
    const armAt = (ms: number): void => {
      timer = setTimeout(() => {
        killed = child.exitCode === null && child.kill('SIGKILL');
      }, ms);
    };
    // With armKill, the kill delay starts once armKill() says so (polled every 10 ms).
    if (o.killAfterMs !== undefined && o.armKill) {
      const poll = async (): Promise<void> => {
        if (child.exitCode !== null) return;
        if (await o.armKill!()) armAt(o.killAfterMs!);
        else timer = setTimeout(() => void poll(), 10);
      };
      void poll();
    } else if (o.killAfterMs !== undefined) armAt(o.killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, killed: killed && signal === 'SIGKILL' });
    });
  });
}

/** The run directory under `outDir`, or undefined before the first run created one. */
export async function findRunDir(outDir: string): Promise<string | undefined> {
  const entries = await readdir(outDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries.filter((d) => d.isDirectory());
  if (dirs.length > 1) throw new Error(`more than one run directory under ${outDir}: ${dirs.map((d) => d.name).join(', ')}`);
  return dirs[0] ? path.join(outDir, dirs[0].name) : undefined;
}

/** What the local server answers for scenario i, sample s (its answers are a pure function of the request). */
export function expectedText(i: number, sample: number): string {
  return buildAnswer(
    {
      model: MODEL,
      system: '',
      messages: [{ role: 'user', content: scenarioText(i) }],
      maxTokens: 256,
      temperature: 1,
      structured: undefined,
    },
    String(sample),
    false,
  ).text;
}

export interface LedgerCheck {
  planned: number;
  lines: number;
  unique: number;
  duplicates: number;
  missing: number;
  /** Parsable lines whose response text differs from the server's answer. */
  textMismatches: number;
  errored: number;
  /** Bytes after the last newline (a torn tail not yet repaired). */
  tornBytes: number;
  transcripts: Transcript[];
}

/**
 * Reads transcripts.jsonl as raw text (not through the project's reader, so the check is
 * independent of it) and checks it against the plan: scenarios x samples cells of one model.
 */
export async function checkLedger(runDir: string, scenarios: number, samples: number): Promise<LedgerCheck> {
  const raw = await readFile(path.join(runDir, 'transcripts.jsonl'), 'utf8').catch(() => '');
  const lastNl = raw.lastIndexOf('\n');
  const body = raw.slice(0, lastNl + 1);
  const transcripts = body
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Transcript);
  const seen = new Map<string, number>();
  let textMismatches = 0;
  for (const t of transcripts) {
    seen.set(t.cellId, (seen.get(t.cellId) ?? 0) + 1);
    const i = Number(t.scenarioId.slice(scenarioId(0).length - 4));
    if (t.response && t.response.text !== expectedText(i, t.sample)) textMismatches++;
  }
  let missing = 0;
  for (let i = 0; i < scenarios; i++) for (let s = 0; s < samples; s++) if (!seen.has(`${MODEL}/${scenarioId(i)}/${s}`)) missing++;
  return {
    planned: scenarios * samples,
    lines: transcripts.length,
    unique: seen.size,
    duplicates: transcripts.length - seen.size,
    missing,
    textMismatches,
    errored: transcripts.filter((t) => t.error).length,
    tornBytes: Buffer.byteLength(raw.slice(lastNl + 1)),
    transcripts,
  };
}
