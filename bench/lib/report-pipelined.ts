import type { PipelinedJudgingResult } from '../pipelined-judging.js';

const f1 = (x: number): string => x.toFixed(1);
const f0 = (x: number): string => x.toFixed(0);

/** Section 8: judging while the run goes vs run, then judge (issue #11's goal: <= 1.3x wall, <= 1.2x peak RSS). */
export function renderPipelined(rows: readonly (PipelinedJudgingResult | { error: string })[]): string[] {
  const out = [
    '## 8. Judging during a run (pipelined) vs run, then judge',
    '',
    'Cells = scenarios x 3 samples; the LLM judge (`default` definition) at the same local server, no latency; each command in its own process (bench/pipelined-judging.ts). Goal: `run` with judging takes at most 1.3x the wall time and 1.2x the peak RSS of `run --no-judge` + `judge`, and no cell or judgment ends in a timeout the server did not cause.',
    '',
    '| cells | concurrency | faults | `run` (judging) s / MB | `run --no-judge` + `judge` s / MB | wall ratio | RSS ratio | judged (pipelined / two-step) | ended in timeout | server hangs (retried) | goal |',
    '|---:|---:|---:|---|---|---:|---:|---|---:|---:|---|',
  ];
  for (const r of rows) {
    if ('error' in r) {
      out.push(`| not measured: ${r.error} ||||||||||`);
      continue;
    }
    const met = r.wallRatio <= 1.3 && r.rssRatio <= 1.2 && r.pipelined.timeouts === 0 && r.pipelined.judged === r.cells;
    out.push(
      `| ${r.cells} | ${r.concurrency} | ${f0(r.faultRate * 100)}% | ${f1(r.pipelined.wallMs / 1000)} / ${f0(r.pipelined.maxRssMB)} | ${f1(r.twoStep.runMs / 1000)} + ${f1(r.twoStep.judgeMs / 1000)} = ${f1(r.twoStep.wallMs / 1000)} / ${f0(r.twoStep.maxRssMB)} | ${r.wallRatio.toFixed(2)} | ${r.rssRatio.toFixed(2)} | ${r.pipelined.judged} / ${r.twoStep.judged} | ${r.pipelined.timeouts} / ${r.twoStep.timeouts} | ${r.serverHangs} | ${met ? 'PASS' : 'FAIL'} |`,
    );
  }
  out.push(
    '',
    'Before the fix (this benchmark on 9dd9aa1, same machine, 2026-12-05): 2,052 cells at concurrency 32 took 136.0 s and 1,527 MB pipelined against 4.2 + 6.1 s and 218 MB two-step (13.1x wall, 7.0x RSS); issue #11 measured 5,016 cells at concurrency 64 with 5% faults at 20 min and 2.9 GB.',
    '',
  );
  return out;
}
