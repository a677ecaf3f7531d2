import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ChildServer } from './lib/server-child.js';
import { spawnTimed, type TimedProcess } from './lib/spawn-timed.js';
import { BENCH_KEY_ENV, scenarioText, writeWorkload } from './lib/workload.js';

export const PROMPTFOO_VERSION = '0.121.20';

export interface ToolRun {
  wallMs: number;
  serverRequests: number;
  reqPerSec: number;
  exitCode: number | null;
  errors: number;
}

export type PromptfooResult =
  | {
      ok: true;
      requests: number;
      scenarios: number;
      samples: number;
      concurrency: number;
      latencyMs: number;
      valuescope: ToolRun;
      promptfoo: ToolRun;
      speedup: number;
      installMs: number | null;
    }
  | { ok: false; error: string };

/** Installs the pinned promptfoo under bench/.promptfoo (gitignored; not a project dependency). */
async function ensurePromptfoo(repo: string, log: (s: string) => void): Promise<{ bin: string; installMs: number | null }> {
  const prefix = path.join(repo, 'bench', '.promptfoo');
  const bin = path.join(prefix, 'node_modules', '.bin', 'promptfoo');
  const pkg = path.join(prefix, 'node_modules', 'promptfoo', 'package.json');
  if (existsSync(bin) && existsSync(pkg) && JSON.parse(await readFile(pkg, 'utf8')).version === PROMPTFOO_VERSION)
    return { bin, installMs: null };
  log(`installing promptfoo@${PROMPTFOO_VERSION} into bench/.promptfoo ...`);
  const r = await spawnTimed('npm', ['install', '--prefix', prefix, `promptfoo@${PROMPTFOO_VERSION}`, '--no-audit', '--no-fund'], {
    cwd: repo,
    env: { ...process.env, PROMPTFOO_DISABLE_TELEMETRY: '1' },
  });
  if (r.code !== 0 || !existsSync(bin))
    throw new Error(`npm install promptfoo@${PROMPTFOO_VERSION} failed (exit ${r.code}): ${r.stderr.slice(-1500)}`);
  return { bin, installMs: r.wallMs };
}

/**
 * The same workload through both tools as separate processes, each timed from spawn to exit:
 * `scenarios` prompts x `samples` repeats at equal concurrency against the same local server.
 */
export async function promptfooSideBySide(
  server: ChildServer,
  o: { repo: string; concurrency: number; latencyMs: number; scenarios: number; samples: number; log: (s: string) => void },
): Promise<PromptfooResult> {
  let pf: { bin: string; installMs: number | null };
  try {
    pf = await ensurePromptfoo(o.repo, o.log);
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vs-bench-pf-'));
  try {
    await server.setOptions({ latencyMs: o.latencyMs });
    const w = await writeWorkload({
      dir,
      baseURL: `${server.url}/v1`,
      scenarios: o.scenarios,
      samples: o.samples,
      concurrency: o.concurrency,
    });
    const timed = async (run: () => Promise<TimedProcess>, errorsOf: (p: TimedProcess) => Promise<number>): Promise<ToolRun> => {
      await server.reset();
      const p = await run();
      const requests = (await server.stats()).requests;
      return {
        wallMs: p.wallMs,
        serverRequests: requests,
        reqPerSec: (requests / p.wallMs) * 1000,
        exitCode: p.code,
        errors: await errorsOf(p),
      };
    };

    const valuescope = await timed(
      () =>
        spawnTimed(
          process.execPath,
          [path.join(o.repo, 'bin', 'valuescope.js'), 'run', '--config', w.configPath, '--no-cache', '--no-judge', '--out', w.outDir],
          { cwd: dir, env: { PATH: process.env.PATH ?? '', [BENCH_KEY_ENV]: 'sk-bench-not-a-secret' } },
        ),
      async (p) => Number(/(\d+) errored/.exec(p.stdout)?.[1] ?? NaN),
    );

    const pfConfig = path.join(dir, 'promptfooconfig.yaml');
    const outFile = path.join(dir, 'promptfoo-out.json');
    await writeFile(
      pfConfig,
      stringify({
        description: 'valuescope benchmark workload',
        prompts: ['{{q}}'],
        providers: [{ id: 'openai:chat:bench-model', config: { apiBaseUrl: `${server.url}/v1`, temperature: 1, max_tokens: 256 } }],
        tests: Array.from({ length: o.scenarios }, (_, i) => ({ vars: { q: scenarioText(i) } })),
      }),
    );
    const promptfoo = await timed(
      () =>
        spawnTimed(
          pf.bin,
          [
            'eval',
            '-c',
            pfConfig,
            '-j',
            String(o.concurrency),
            '--repeat',
            String(o.samples),
            '--no-cache',
            '--no-write',
            '--no-table',
            '--no-progress-bar',
            '--no-share',
            '-o',
            outFile,
          ],
          {
            cwd: dir,
            env: {
              PATH: process.env.PATH ?? '',
              HOME: dir,
              OPENAI_API_KEY: 'sk-bench-not-a-secret',
              PROMPTFOO_DISABLE_TELEMETRY: '1',
              PROMPTFOO_DISABLE_UPDATE: '1',
              PROMPTFOO_CACHE_ENABLED: 'false',
              PROMPTFOO_CONFIG_DIR: path.join(dir, '.promptfoo-home'),
            },
          },
        ),
      async () => {
        const out = JSON.parse(await readFile(outFile, 'utf8')) as { results?: { results?: { error?: unknown }[] } };
        return (out.results?.results ?? []).filter((r) => r.error).length;
      },
    );
    if (promptfoo.serverRequests === 0) return { ok: false, error: 'promptfoo made no requests to the local server (see its output)' };
    return {
      ok: true,
      requests: o.scenarios * o.samples,
      scenarios: o.scenarios,
      samples: o.samples,
      concurrency: o.concurrency,
      latencyMs: o.latencyMs,
      valuescope,
      promptfoo,
      speedup: valuescope.reqPerSec / promptfoo.reqPerSec,
      installMs: pf.installMs,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
