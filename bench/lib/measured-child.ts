import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface MeasuredRun {
  code: number;
  wallMs: number;
  cpuMs: number;
  maxRssMB: number;
  stdout: string;
}

/**
 * `valuescope ARGS` in a child process (bench/measured-child.ts), measured from spawn to exit; the
 * child reports its own CPU time and peak RSS (process.resourceUsage(), worker threads included).
 */
export async function runMeasured(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<MeasuredRun> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'measured-child.js');
  const t0 = performance.now();
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn(process.execPath, [script, ...args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', process.env.BENCH_CHILD_STDERR ? 'inherit' : 'ignore'],
    });
    let text = '';
    p.stdout.on('data', (c: Buffer) => {
      text += c.toString();
    });
    p.on('error', reject);
    p.on('close', () => resolve(text));
  });
  const wallMs = performance.now() - t0;
  const last = out.trim().split('\n').pop() ?? '{}';
  const m = JSON.parse(last) as { code?: number; maxRssKB?: number; cpuMs?: number };
  if (m.code === undefined) throw new Error(`valuescope ${args[0]} printed no measurement:\n${out.slice(-2000)}`);
  return { code: m.code, wallMs, cpuMs: m.cpuMs ?? 0, maxRssMB: (m.maxRssKB ?? 0) / 1024, stdout: out };
}
