import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startLocalServer } from '../../src/devtools/local-server/server.js';
import type { LocalServerStats } from '../../src/devtools/local-server/stats.js';
import type { Judgment } from '../../src/records/judgment.js';
import { runValuescope } from '../lib/run-harness.js';
import { writeWorkload } from '../lib/workload.js';
import { findRunDir } from './drill-env.js';

export interface JudgeGarbageResult {
  runExit: number;
  judgeExit: number;
  judgeStderr: string;
  profileExit: number;
  profileStdout: string;
  cells: number;
  judgments: number;
  judgeErrors: number;
  judgeErrorKinds: Record<string, number>;
  /** Judge calls beyond one per cell: the repair turns. */
  repairCalls: number;
  judgeStats: LocalServerStats;
  profile: { errored: number; judged: number; errorKinds: Record<string, number>; notes: string[] } | undefined;
}

/**
 * Transcripts come from a clean server; the judge's server answers 20% of structured-output
 * calls with malformed or schema-violating JSON. The judge must repair once, then record an
 * error; the profile must count those cells as errored and say so.
 */
export async function judgeGarbageDrill(o: {
  scenarios: number;
  samples: number;
  badJsonRate: number;
  seed: number;
}): Promise<JudgeGarbageResult> {
  const chat = await startLocalServer({ seed: o.seed });
  const judgeServer = await startLocalServer({ seed: o.seed, badJsonRate: o.badJsonRate });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vs-drill-judge-'));
  try {
    const w = await writeWorkload({
      dir,
      baseURL: `${chat.url}/v1`,
      scenarios: o.scenarios,
      samples: o.samples,
      concurrency: 8,
      llmJudge: { baseURL: `${judgeServer.url}/v1`, concurrency: 8, pipelined: false },
    });
    const run = await runValuescope(['run', '--config', w.configPath, '--no-cache', '--no-judge', '--out', w.outDir], dir);
    const runDir = await findRunDir(w.outDir);
    if (!runDir) throw new Error(`no run directory: ${run.stderr}`);
    const judge = await runValuescope(['judge', runDir, '--config', w.configPath], dir);
    const text = await readFile(path.join(runDir, 'judgments.jsonl'), 'utf8').catch(() => '');
    const judgments = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Judgment);
    const judgeErrorKinds: Record<string, number> = {};
    for (const j of judgments) if (j.error) judgeErrorKinds[j.error.kind] = (judgeErrorKinds[j.error.kind] ?? 0) + 1;
    const profile = await runValuescope(['profile', runDir, '--config', w.configPath, '--resamples', '200'], dir);
    type ProfileJson = { notes: string[]; models: { overall: { errored: number; judged: number; errorKinds: Record<string, number> } }[] };
    const pf = await readFile(path.join(runDir, 'profile.json'), 'utf8').then(
      (t) => JSON.parse(t) as ProfileJson,
      () => undefined,
    );
    const judgeStats = judgeServer.stats();
    return {
      runExit: run.code,
      judgeExit: judge.code,
      judgeStderr: judge.stderr,
      profileExit: profile.code,
      profileStdout: profile.stdout + profile.stderr,
      cells: o.scenarios * o.samples,
      judgments: judgments.length,
      judgeErrors: judgments.filter((j) => j.error).length,
      judgeErrorKinds,
      repairCalls: judgeStats.requests - judgments.length,
      judgeStats,
      profile: pf?.models[0] && { ...pf.models[0].overall, notes: pf.notes },
    };
  } finally {
    await chat.close();
    await judgeServer.close();
    await rm(dir, { recursive: true, force: true });
  }
}
