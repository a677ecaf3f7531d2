import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load-config.js';
import type { AppContext } from '../core/context.js';
import { EXIT } from '../core/errors.js';
import { demoConfigYaml } from '../devtools/demo/demo-config.js';
import { createLexicalJudgeResponder } from '../devtools/demo/judge-responder.js';
import { type LocalServer, startLocalServer } from '../devtools/local-server/server.js';
import type { LocalServerStats } from '../devtools/local-server/stats.js';
import { diffFile, runFile } from '../records/run-files.js';
import { packageRoot } from '../util/package-root.js';

export interface DemoOptions {
  out?: string | undefined;
  samples: number;
}

type Say = (s: string) => void;
type SubCommand = (argv: string[]) => Promise<number>;

const BANNER = 'SYNTHETIC DEMO: answers come from the local test server, not from any real model.';

/**
 * The whole pipeline offline, as a user would run it: start the local server, write a config that
 * points at it, then run -> profile -> diff -> gate -> report through the real CLI commands.
 */
export async function demoCommand(opts: DemoOptions, ctx: AppContext, runCli: (argv: string[]) => Promise<number>): Promise<number> {
  const say: Say = (s) => ctx.stdout.write(`${s}\n`);
  const stamp = ctx.now().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const dir = path.resolve(ctx.cwd, opts.out ?? path.join('results', `demo-${stamp}`));
  await fsp.mkdir(dir, { recursive: true });

  const server = await startDemoServer();
  say(BANNER);
  say(`local server: ${server.url}  (output: ${path.relative(ctx.cwd, dir) || dir})`);
  try {
    const config = await writeDemoConfig(dir, server.url, opts.samples);
    const sub = echoed(say, runCli);
    const runCode = await sub(['run', '--config', config]);
    if (runCode === EXIT.usage) return runCode;
    const runDir = await newestRun(path.join(dir, 'runs'));
    const diffDir = path.join(dir, 'diff');
    // v1 (strict) is the released baseline, v2 (lenient) the candidate: a regression the gate should catch.
    const diffCode = await sub(['diff', `${runDir}#assistant-v1`, `${runDir}#assistant-v2`, '--out', diffDir, '--config', config]);
    if (diffCode !== EXIT.ok) return diffCode;
    const gateCode = await sub(gateArgv(runDir, diffDir, config));
    if (gateCode === EXIT.usage) return gateCode;
    const reports = [runFile(runDir, 'reportHtml'), runFile(diffDir, 'reportMarkdown'), runFile(diffDir, 'reportHtml')];
    sayOutcome(
      say,
      gateCode,
      server.stats(),
      reports.map((f) => path.relative(ctx.cwd, f) || f),
    );
    return EXIT.ok;
  } finally {
    await server.close();
  }
}

function startDemoServer(): Promise<LocalServer> {
  return startLocalServer({
    latencyMs: 20,
    jitterMs: 20,
    // A few transient faults, so the demo shows retries doing their job.
    errorRate: 0.02,
    rate429: 0.01,
    retryAfterMs: 100,
    seed: 7,
    structuredResponder: createLexicalJudgeResponder(),
  });
}

/** DIR/config.yaml aimed at the local server, with the shipped config's gate rules so the demo gates like a real project. */
async function writeDemoConfig(dir: string, serverUrl: string, samples: number): Promise<string> {
  const root = packageRoot();
  const config = path.join(dir, 'config.yaml');
  const shipped = await loadConfig(path.join(root, 'config.yaml'), { env: {}, cwd: root });
  await fsp.writeFile(config, demoConfigYaml({ serverUrl, suite: path.join(root, 'scenarios'), samples, gate: shipped.config.gate }));
  return config;
}

/** Runs a CLI command after printing it as the user would type it, so the demo output doubles as a tutorial. */
function echoed(say: Say, runCli: SubCommand): SubCommand {
  return (argv) => {
    say(`\n$ valuescope ${argv.map((a) => (a.includes(' ') ? JSON.stringify(a) : a)).join(' ')}`);
    return runCli(argv);
  };
}

function gateArgv(runDir: string, diffDir: string, config: string): string[] {
  return [
    'gate',
    `${runDir}#assistant-v1`,
    `${runDir}#assistant-v2`,
    '--config',
    config,
    '--out',
    diffDir,
    '--junit',
    diffFile(diffDir, 'gateJunit'),
    '--summary',
    diffFile(diffDir, 'gateSummary'),
  ];
}

function sayOutcome(say: Say, gateCode: number, stats: LocalServerStats, reports: readonly string[]): void {
  say(`\n${BANNER}`);
  say(
    gateCode === EXIT.ok
      ? 'The gate passed.'
      : 'The gate FAILED (exit 1), as designed: the synthetic candidate (assistant-v2, "lenient") resists less than the baseline (assistant-v1, "strict").',
  );
  const faults = Object.entries(stats.byFault)
    .map(([k, n]) => `${n} x ${k}`)
    .join(', ');
  say(`The local server answered ${stats.requests} requests${faults ? ` (injected faults, retried: ${faults})` : ''}. Open these:`);
  for (const f of reports) say(`  ${f}`);
}

async function newestRun(runsDir: string): Promise<string> {
  const entries = (await fsp.readdir(runsDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const last = entries[entries.length - 1];
  if (!last) throw new Error(`no run directory was created under ${runsDir}`);
  return path.join(runsDir, last);
}
