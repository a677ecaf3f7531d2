import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SyntheticOptions } from '../src/devtools/simulate/synthetic-judgments.js';
import { writeSyntheticRun } from '../src/devtools/simulate/write-synthetic-run.js';
import { runMeasured } from './lib/measured-child.js';

/**
 * Analysis at scale: writes 2 x `judgments` synthetic judgments (base and candidate runs), then runs
 * `valuescope profile` on the candidate and `valuescope diff` on the pair, each in its own child
 * process, measuring wall time, and the child's CPU time and peak RSS (reported by the child itself
 * through process.resourceUsage(), printed by bench/measured-child.ts; the RSS covers its
 * worker threads). CPU time is the steadier figure on a shared machine.
 */
export interface AnalysisScaleResult {
  judgmentsPerSide: number;
  scenarios: number;
  resamples: number;
  profile: Measured;
  diff: Measured;
  /** `baseline save` of the base run, the file's size, and the same diff with that file as the base side. */
  baseline: { save: Measured; bytes: number; diff: Measured; sameNumbers: boolean };
  /** `history` over the two runs (base as its baseline file, then the candidate), charts off. */
  history: Measured;
  /** 1-minute load average before the measurement (other processes competing for the cores). */
  loadAverage: number;
  generateMs: number;
}

export async function benchAnalysisScale(
  options: { judgments?: number; resamples?: number; keep?: boolean } = {},
): Promise<AnalysisScaleResult> {
  const total = options.judgments ?? 300_000;
  const resamples = options.resamples ?? 2000;
  const domains = 10;
  const samples = 150;
  const scenariosPerDomain = Math.max(1, Math.round(total / (domains * samples)));
  const dir = mkdtempSync(path.join(tmpdir(), 'vs-scale-'));
  try {
    const common = { scenarioSeed: 11, domains, scenariosPerDomain, samples, vocabulary: 2000, errorRate: 0.01, watchRate: 0.0005 };
    const t0 = performance.now();
    const base: SyntheticOptions = { ...common, seed: 1, modelId: 'base-model' };
    const cand: SyntheticOptions = {
      ...common,
      seed: 2,
      modelId: 'cand-model',
      shift: { responseType: 'strong_resistance', delta: -0.05, domain: 'domain-03' },
    };
    await Promise.all([writeSyntheticRun(path.join(dir, 'base'), [base]), writeSyntheticRun(path.join(dir, 'cand'), [cand])]);
    const generateMs = performance.now() - t0;
    const loadAverage = loadavg()[0] ?? 0;
    const profile = await child(['profile', path.join(dir, 'cand'), '--resamples', String(resamples)]);
    // --no-report: this measures the analysis; the report is its own stage (docs/reports.md).
    const diff = await child([
      'diff',
      path.join(dir, 'base'),
      path.join(dir, 'cand'),
      '--out',
      path.join(dir, 'diff'),
      '--resamples',
      String(resamples),
      '--no-report',
    ]);
    const baseline = await baselineFigures(dir, resamples);
    // The synthetic runs name their model differently: named with '#', history follows them as one (renamed) target.
    const history = await child([
      'history',
      `${path.join(dir, 'base.json')}#base-model`,
      `${path.join(dir, 'cand')}#cand-model`,
      '--out',
      path.join(dir, 'hist'),
      '--no-charts',
    ]);
    return {
      judgmentsPerSide: domains * scenariosPerDomain * samples,
      scenarios: domains * scenariosPerDomain,
      resamples,
      profile,
      diff,
      baseline,
      history,
      generateMs,
      loadAverage,
    };
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

type Measured = { wallMs: number; cpuMs: number; maxRssMB: number };

/** The base run saved as a baseline, and the diff again from it: its numbers must be the run directory's. */
async function baselineFigures(dir: string, resamples: number): Promise<AnalysisScaleResult['baseline']> {
  const file = path.join(dir, 'base.json');
  const save = await child(['baseline', 'save', path.join(dir, 'base'), '--out', file]);
  const diff = await child([
    'diff',
    file,
    path.join(dir, 'cand'),
    '--out',
    path.join(dir, 'diff-b'),
    '--resamples',
    String(resamples),
    '--no-report',
  ]);
  const rows = (d: string) =>
    JSON.stringify((JSON.parse(readFileSync(path.join(dir, d, 'diff.json'), 'utf8')) as { metrics: unknown }).metrics);
  return { save, bytes: statSync(file).size, diff, sameNumbers: rows('diff') === rows('diff-b') };
}

async function child(args: string[]): Promise<Measured> {
  const r = await runMeasured(args);
  if (r.code !== 0) throw new Error(`valuescope ${args[0]} exited with ${r.code}:\n${r.stdout.slice(-2000)}`);
  return { wallMs: r.wallMs, cpuMs: r.cpuMs, maxRssMB: r.maxRssMB };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const judgments = process.argv[2] ? Number(process.argv[2]) : undefined;
  const r = await benchAnalysisScale(judgments === undefined ? {} : { judgments });
  console.log(JSON.stringify(r, null, 2));
}
