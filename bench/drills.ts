import { type FaultRunResult, faultRun } from './drills/fault-run.js';
import { type JudgeGarbageResult, judgeGarbageDrill } from './drills/judge-garbage.js';
import { type KillResumeResult, killResumeDrill } from './drills/kill-resume.js';
import { type StorageDrillResult, storageFailureDrill } from './drills/storage-failure.js';

export interface DrillResults {
  kill: KillResumeResult;
  /** The same with judging while the run goes (the default `valuescope run`). */
  killJudged: KillResumeResult;
  hang: FaultRunResult;
  errors: FaultRunResult;
  storage: StorageDrillResult;
  judge: JudgeGarbageResult;
}

/** The long versions of the fault drills (the fast ones run in `npm test`, test/drill-*.test.ts). */
export async function longDrills(repo: string, log: (s: string) => void): Promise<DrillResults> {
  const kill = await killResumeDrill({
    repo,
    kills: 10,
    scenarios: 100,
    samples: 20,
    concurrency: 16,
    latencyMs: 40,
    minDelayMs: 0,
    maxDelayMs: 800,
    seed: 2026,
  });
  log(
    `drill kill -9 x10: ${kill.ledger.unique}/${kill.ledger.planned} cells, ${kill.ledger.duplicates} duplicates, ${kill.ledger.textMismatches} text mismatches, ${kill.midRunKills} mid-run kills`,
  );
  const killJudged = await killResumeDrill({
    repo,
    kills: 10,
    scenarios: 100,
    samples: 6,
    concurrency: 16,
    latencyMs: 40,
    minDelayMs: 0,
    maxDelayMs: 800,
    seed: 2027,
    judge: true,
  });
  const jl = killJudged.judgments;
  log(
    `drill kill -9 x10 judging: ${killJudged.ledger.unique}/${killJudged.ledger.planned} cells, ${jl?.unique ?? 0} judgments (${jl?.duplicates ?? '?'} duplicates, ${jl?.unjudged ?? '?'} unjudged), profile ${jl?.profileWritten ? 'written' : 'MISSING'}, report ${jl?.reportWritten ? 'written' : 'MISSING'}`,
  );
  const hang = await faultRun(
    { latencyMs: 20, hangRate: 0.1, seed: 21 },
    { scenarios: 100, samples: 6, concurrency: 16, maxAttempts: 3, timeoutMs: 1000, backoffBaseMs: 20, backoffMaxMs: 200 },
  );
  log(
    `drill hangs: ${hang.ledger.unique}/${hang.ledger.planned} cells, ${hang.stats.byFault.hang ?? 0} hangs, ${hang.ledger.errored} errored, ${(hang.wallMs / 1000).toFixed(1)} s`,
  );
  const errors = await faultRun(
    { latencyMs: 20, errorRate: 0.3, seed: 31 },
    { scenarios: 100, samples: 10, concurrency: 32, maxAttempts: 4, backoffBaseMs: 20, backoffMaxMs: 200 },
  );
  log(
    `drill 30% errors: ${errors.ledger.unique}/${errors.ledger.planned} cells, ${errors.stats.requests} requests, ${errors.ledger.errored} errored`,
  );
  const storage = await storageFailureDrill({ repo, scenarios: 100, samples: 3, fileSizeLimitKiB: 64 });
  log(
    `drill storage: exits ${storage.sizeLimit.exitCode}/${'exitCode' in storage.diskFull ? storage.diskFull.exitCode : 'skipped'}/${storage.fixed.exitCode}`,
  );
  const judge = await judgeGarbageDrill({ scenarios: 100, samples: 3, badJsonRate: 0.2, seed: 41 });
  log(`drill judge garbage: ${judge.judgeErrors} errors, ${judge.repairCalls} repairs of ${judge.judgments}`);
  return { kill, killJudged, hang, errors, storage, judge };
}
