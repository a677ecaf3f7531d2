import type { AnalysisScaleResult } from '../analysis-scale.js';
import type { CacheResult } from '../cache.js';
import type { StartupResult } from '../cli-startup.js';
import type { DrillResults } from '../drills.js';
import type { JudgeCostVendor } from '../judge-cost.js';
import type { PipelinedJudgingResult } from '../pipelined-judging.js';
import type { PromptfooResult } from '../promptfoo.js';
import type { RateLimitResult } from '../rate-limit.js';
import type { SdkFloor } from '../sdk-floor.js';
import type { ThroughputCell } from '../throughput.js';
import type { MachineInfo } from './machine.js';
import { renderJudgeCost } from './report-judge-cost.js';
import { renderPipelined } from './report-pipelined.js';

export interface BenchResults {
  machine: MachineInfo;
  loadBefore: number[];
  loadAfter: number[];
  command: string;
  quick: boolean;
  totalMs: number;
  throughput: ThroughputCell[];
  floor: SdkFloor | { error: string };
  rateLimit: RateLimitResult | { error: string };
  promptfoo: PromptfooResult;
  cache: CacheResult | { error: string };
  analysis: AnalysisScaleResult | { error: string };
  startup: StartupResult | { error: string };
  drills: DrillResults | { error: string };
  pipelined: (PipelinedJudgingResult | { error: string })[];
  judgeCost: JudgeCostVendor[] | { error: string };
}

const f0 = (x: number): string => x.toFixed(0);
const f1 = (x: number): string => x.toFixed(1);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const ok = (b: boolean): string => (b ? 'PASS' : 'FAIL');
const failed = (x: object): x is { error: string } =>
  'error' in x && typeof (x as { error: unknown }).error === 'string' && Object.keys(x).length === 1;

/** BENCHMARKS.md: every figure from one `npm run bench`, with the machine and the command. */
export function renderBenchmarks(r: BenchResults): string {
  const m = r.machine;
  const out: string[] = [
    '# Benchmarks',
    '',
    `Measured by \`${r.command}\` on ${m.date} in one run (${(r.totalMs / 60_000).toFixed(1)} min)${r.quick ? ' — QUICK mode (BENCH_QUICK=1): reduced sizes, not the reference figures' : ''}.`,
    'How each figure is measured: [docs/benchmarks.md](docs/benchmarks.md). The local server is synthetic (no model behind it); these figures measure the harness, not any model.',
    '',
    `Machine: ${m.nproc} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.platform}.`,
    `Load average (1/5/15 min) before: ${r.loadBefore.map(f1).join(' / ')}, after: ${r.loadAfter.map(f1).join(' / ')}. A load above ${m.nproc} means other processes competed for the CPUs, which lowers every throughput figure.`,
    '',
    '## 1. Throughput against the local server',
    '',
    'Achieved requests/s (first cell start to last cell finish, from transcripts) over the ideal C/L; end-to-end includes CLI start-up, config and suite loading. Harness CPU = `process.cpuUsage()` of the harness process only (the server runs in a child process).',
    '',
    '| C | L (ms) | requests | ideal req/s | achieved req/s | of ideal | end-to-end of ideal | harness CPU (ms) | CPU per request (µs) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.throughput.map(
      (c) =>
        `| ${c.concurrency} | ${c.latencyMs} | ${c.requests} | ${f1(c.idealReqPerSec)} | ${f1(c.reqPerSec)} | ${pct(c.ratio)} | ${pct(c.endToEndRatio)} | ${f0(c.harnessCpuMs)} | ${f0(c.cpuUsPerRequest)} |`,
    ),
    '',
  ];
  const target = r.throughput.find((c) => c.concurrency === 32 && c.latencyMs === 200);
  if (target) out.push(`Acceptance (>= 95% of ideal at C=32, L=200 ms): ${pct(target.ratio)} — ${ok(target.ratio >= 0.95)}.`, '');
  if (!failed(r.floor)) {
    const f = r.floor;
    out.push(
      `For reference, the bare OpenAI SDK in a plain loop of ${f.concurrency} workers (no scheduler, retries or transcripts; same server, same process, measured right after the grid): ${f.requests} requests at L=${f.latencyMs} ms, ${f1(f.reqPerSec)} req/s = ${pct(f.ratio)} of ideal, ${f0(f.cpuUsPerRequest)} µs CPU per request. That is the ceiling of any SDK-based harness on this machine at that moment; the gap to 100% is the client's CPU per response on ${r.machine.nproc} CPUs shared with the server and other processes.`,
      '',
    );
  }

  out.push('## 2. Rate limits', '');
  if (failed(r.rateLimit)) out.push(`Not measured: ${r.rateLimit.error}`, '');
  else {
    const x = r.rateLimit;
    out.push(
      `Server limit ${x.rpm} rpm (sliding 60 s window), harness \`rpm: ${x.rpm}\`, concurrency 32, ${x.requests} requests (two windows) in ${f1(x.wallMs / 1000)} s.`,
      '',
      '| steady-state rate (rpm) | of limit | most requests in any 60 s | 429s received | retries |',
      '|---:|---:|---:|---:|---:|',
      `| ${f1(x.steadyRpm)} | ${pct(x.ratio)} | ${x.peakWindow} | ${x.serverSent429} | ${x.retries} |`,
      '',
      `Acceptance (0 429s): ${ok(x.serverSent429 === 0)}.`,
      '',
    );
  }

  out.push('## 3. Side by side with promptfoo', '');
  const p = r.promptfoo;
  if (!p.ok) out.push(`Not measured: ${p.error}`, '');
  else {
    out.push(
      `Same workload (${p.requests} chat requests: ${p.scenarios} prompts x ${p.samples} samples, i.e. valuescope ${p.scenarios} scenarios with \`samples: ${p.samples}\`, promptfoo ${p.scenarios} tests with \`--repeat ${p.samples}\`), same local server (L = ${p.latencyMs} ms), concurrency ${p.concurrency} in both (\`concurrency\` / \`-j\`), caches off in both, each tool a fresh process timed from spawn to exit. promptfoo 0.121.20, telemetry and update checks off.`,
      '',
      '| tool | wall (s) | requests seen by the server | req/s | errors |',
      '|---|---:|---:|---:|---:|',
      `| valuescope | ${f1(p.valuescope.wallMs / 1000)} | ${p.valuescope.serverRequests} | ${f1(p.valuescope.reqPerSec)} | ${p.valuescope.errors} |`,
      `| promptfoo | ${f1(p.promptfoo.wallMs / 1000)} | ${p.promptfoo.serverRequests} | ${f1(p.promptfoo.reqPerSec)} | ${p.promptfoo.errors} |`,
      '',
      `valuescope / promptfoo requests per second: ${p.speedup.toFixed(2)}x — ${ok(p.speedup >= 1)} (at least as fast at equal concurrency).`,
      '',
    );
  }

  out.push('## 4. Response cache', '');
  if (failed(r.cache)) out.push(`Not measured: ${r.cache.error}`, '');
  else {
    const c = r.cache;
    out.push(
      `With \`cache: development\` (runs default to fresh answers, docs/runner.md): a finished ${c.cells}-cell run (${c.firstRunRequests} HTTP calls, ${f1(c.firstRunMs / 1000)} s), then the same \`valuescope run\` again: ${c.rerunRequests} HTTP calls (server /_stats), ${f1(c.rerunMs / 1000)} s wall (${c.rerunCachedNote}). Acceptance (0 calls): ${ok(c.rerunRequests === 0)}.`,
      '',
    );
  }

  out.push('## 5. Analysis at scale', '');
  if (failed(r.analysis)) out.push(`Not measured: ${r.analysis.error}`, '');
  else {
    const a = r.analysis;
    out.push(
      `${a.judgmentsPerSide.toLocaleString('en-US')} synthetic judgments per run (${a.scenarios} scenarios), analytic intervals (docs/statistics.md), ${a.resamples} resamples for the diff's permutation tests, each command in its own process (bench/analysis-scale.ts):`,
      '',
      '| command | wall (s) | peak RSS (MB) |',
      '|---|---:|---:|',
      `| \`valuescope profile\` (one run) | ${f1(a.profile.wallMs / 1000)} | ${f0(a.profile.maxRssMB)} |`,
      `| \`valuescope diff\` (two runs) | ${f1(a.diff.wallMs / 1000)} | ${f0(a.diff.maxRssMB)} |`,
      `| \`valuescope baseline save\` (the base run) | ${f1(a.baseline.save.wallMs / 1000)} | ${f0(a.baseline.save.maxRssMB)} |`,
      `| \`valuescope diff\` (base as that baseline file) | ${f1(a.baseline.diff.wallMs / 1000)} | ${f0(a.baseline.diff.maxRssMB)} |`,
      `| \`valuescope history\` (the baseline, then the candidate run) | ${f1(a.history.wallMs / 1000)} | ${f0(a.history.maxRssMB)} |`,
      '',
      `The baseline file is ${(a.baseline.bytes / 1024).toFixed(0)} KB; the diff from it took ${(a.baseline.diff.cpuMs / a.diff.cpuMs).toFixed(2)}x the CPU time of the diff from the run directory, with the same metric rows: ${ok(a.baseline.sameNumbers)}. (The full suite at 3 samples gives a baseline of about 300 KB: \`test/baseline-demo.test.ts\` asserts < 1 MB.)`,
      '',
    );
  }

  out.push('## 6. CLI start-up', '');
  if (failed(r.startup)) out.push(`Not measured: ${r.startup.error}`, '');
  else {
    const s = r.startup;
    out.push(
      `Median of ${s.runs} runs, wall time from spawn to exit: \`node bin/valuescope.js --help\` ${f0(s.nodeBinMedianMs)} ms; \`npx valuescope --help\` ${f0(s.npxMedianMs)} ms; bare \`node -e ''\` ${f0(s.bareNodeMedianMs)} ms. npx adds ${f0(s.npxMedianMs - s.nodeBinMedianMs)} ms: it starts npm itself to resolve the bin before starting valuescope. Target < 500 ms: ${ok(s.nodeBinMedianMs < 500)} (node bin), ${ok(s.npxMedianMs < 500)} (npx).`,
      '',
    );
  }

  out.push('## 7. Fault drills (long versions; the fast ones run in `npm test`)', '');
  if (failed(r.drills)) out.push(`Not run: ${r.drills.error}`, '');
  else out.push(...renderDrills(r.drills));
  out.push(...renderPipelined(r.pipelined));
  out.push(...renderJudgeCost(r.judgeCost));
  return `${out.join('\n')}\n`;
}

function renderDrills(d: DrillResults): string[] {
  const k = d.kill;
  const st = d.storage;
  const j = d.judge;
  const rows = [
    '| drill | setup | outcome | verdict |',
    '|---|---|---|---|',
    `| kill -9, then --resume | ${k.kills.length} kills in a row at random moments (delays ${k.kills.map((x) => x.delayMs).join(', ')} ms after the first new line), ${k.ledger.planned} cells | ${k.midRunKills} kills mid-run; final: ${k.ledger.unique}/${k.ledger.planned} cells, ${k.ledger.duplicates} duplicates, ${k.ledger.missing} missing, ${k.ledger.textMismatches} texts differing from the server's; ${k.extraRequests} requests redone (in flight at a kill) | ${ok(k.finalExitCode === 0 && k.ledger.missing === 0 && k.ledger.duplicates === 0 && k.ledger.textMismatches === 0)} |`,
    judgedKillRow(d.killJudged),
    `| server hangs | hangRate 0.1 (${d.hang.stats.byFault.hang ?? 0} of ${d.hang.stats.requests} requests hung), timeout 1000 ms, maxAttempts 3, ${d.hang.ledger.planned} cells | completed in ${f1(d.hang.wallMs / 1000)} s; ${d.hang.stats.byFault.hang ?? 0} hung requests = ${d.hang.failedAttempts} timed-out attempts; ${d.hang.ledger.errored} cells errored (${kinds(d.hang.errorKinds)}), all after 3 attempts | ${ok(d.hang.ledger.unique === d.hang.ledger.planned && d.hang.failedAttempts === (d.hang.stats.byFault.hang ?? 0) && d.hang.erroredBeforeMaxAttempts === 0)} |`,
    `| 30% errors | errorRate 0.3, maxAttempts 4, ${d.errors.ledger.planned} cells | ${d.errors.stats.requests} requests = ${d.errors.attempts} attempts in transcripts; ${d.errors.stats.byFault['500'] ?? 0} server 500s = ${d.errors.failedAttempts} failed attempts; max attempts ${d.errors.maxAttemptsSeen}; ${d.errors.ledger.errored} cells errored (${kinds(d.errors.errorKinds)}) | ${ok(d.errors.ledger.unique === d.errors.ledger.planned && d.errors.attempts === d.errors.stats.requests && d.errors.failedAttempts === (d.errors.stats.byFault['500'] ?? 0) && d.errors.maxAttemptsSeen <= 4)} |`,
    `| file-size limit mid-run | \`ulimit -f\`, fresh run | exit ${st.sizeLimit.exitCode}, ${st.sizeLimit.linesAfter} complete lines, torn tail ${st.sizeLimit.tornBytesAfter} B (dropped by readers, cut on resume), manifest ${st.sizeLimit.manifestParses ? 'valid' : 'INVALID'}; message: \`${firstError(st.sizeLimit.stderr)}\` | ${ok(st.sizeLimit.exitCode === 2 && st.sizeLimit.manifestParses)} |`,
    'exitCode' in st.diskFull
      ? `| disk full on resume | a copy of the run on a 2 MiB tmpfs filled to the last byte | exit ${st.diskFull.exitCode}, complete transcript lines ${st.diskFull.completeLinesUnchanged ? 'unchanged' : 'CHANGED'}; message: \`${firstError(st.diskFull.stderr)}\` | ${ok(st.diskFull.exitCode === 2 && st.diskFull.completeLinesUnchanged)} |`
      : `| disk full on resume | skipped: ${st.diskFull.skipped} | | |`,
    'exitCode' in st.readOnly
      ? `| read-only run dir | chmod 0555 | exit ${st.readOnly.exitCode}; message: \`${firstError(st.readOnly.stderr)}\` | ${ok(st.readOnly.exitCode === 2 && st.readOnly.completeLinesUnchanged)} |`
      : `| read-only run dir | chmod 0555 | skipped: ${st.readOnly.skipped} | n/a |`,
    `| resume once fixed | --resume | exit ${st.fixed.exitCode}, ${st.fixed.unique} cells, ${st.fixed.duplicates} duplicates, ${st.fixed.missing} missing, ${st.fixed.textMismatches} differing texts | ${ok(st.fixed.exitCode === 0 && st.fixed.missing === 0 && st.fixed.duplicates === 0 && st.fixed.textMismatches === 0)} |`,
    `| judge garbage | badJsonRate 0.2 on the judge's server, ${j.cells} cells | ${j.judgeStats.byFault.badjson ?? 0} bad answers = ${j.repairCalls} repairs + ${j.judgeErrors} recorded errors (${kinds(j.judgeErrorKinds)}); profile: ${j.profile?.errored ?? '?'} errored, ${j.profile?.judged ?? '?'} judged; note: "${j.profile?.notes[0] ?? ''}" | ${ok(j.repairCalls + j.judgeErrors === (j.judgeStats.byFault.badjson ?? 0) && j.profile?.errored === j.judgeErrors)} |`,
  ];
  return [...rows, ''];
}

function kinds(k: Record<string, number>): string {
  const e = Object.entries(k);
  return e.length ? e.map(([n, c]) => `${n} ${c}`).join(', ') : 'none';
}

function firstError(stderr: string): string {
  return (stderr.split('\n').find((l) => l.startsWith('valuescope:')) ?? '').replace(/\/tmp\/vs-drill-[^/]+\//g, '…/').replace(/`/g, "'");
}

function judgedKillRow(k: DrillResults['killJudged']): string {
  const j = k.judgments;
  const good =
    k.finalExitCode === 0 &&
    k.ledger.missing === 0 &&
    k.ledger.duplicates === 0 &&
    j !== undefined &&
    j.unique === k.ledger.planned &&
    j.duplicates === 0 &&
    j.unjudged === 0 &&
    j.foreign === 0 &&
    j.profileWritten &&
    j.reportWritten;
  return `| kill -9 while judging, then --resume | ${k.kills.length} kills, judging as transcripts arrive (LLM judge, same server), ${k.ledger.planned} cells | ${k.midRunKills} kills mid-run; final: ${k.ledger.unique} cells (${k.ledger.duplicates} duplicates), ${j?.unique ?? 0} judgments (${j?.duplicates ?? '?'} duplicates, ${j?.unjudged ?? '?'} unjudged, ${j?.foreign ?? '?'} foreign); profile ${j?.profileWritten ? 'written' : 'missing'}, report ${j?.reportWritten ? 'written' : 'missing'} | ${ok(good)} |`;
}
