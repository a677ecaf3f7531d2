import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { type LoadedConfig, loadConfig } from '../config/load-config.js';
import type { AppContext } from '../core/context.js';
import { ConfigError } from '../core/errors.js';
import type { GateResult } from '../records/diff.js';
import { diffFile, runFile } from '../records/run-files.js';
import { readRunLabels } from '../stages/analyze/corrected/corrected-labels.js';
import { type CorrectedSides, correctedSides } from '../stages/analyze/corrected/corrected-sides.js';
import { loadSides } from '../stages/analyze/diff/diff-profiles.js';
import type { Side } from '../stages/analyze/diff/pair-sides.js';
import { gateJunit } from '../stages/analyze/gate/junit.js';
import { gateWatchlist, runGate } from '../stages/analyze/gate/run-gate.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { storageError } from '../util/jsonl.js';
import { labelInput, requireComplete } from './analysis-options.js';
import { asOnlyWriter } from './lock-options.js';

export interface GateFlags {
  config?: string;
  junit?: string;
  summary?: string;
  out?: string;
  report?: boolean;
  allowSuiteMismatch?: boolean;
  allowJudgeMismatch?: boolean;
  allowIncomplete?: boolean;
  /** Human label files (else the config's judge.labels), for gate.decideOn: corrected. */
  labels?: string[];
}

export async function gateCommand(baseSpec: string, candSpec: string, flags: GateFlags, ctx: AppContext): Promise<number> {
  const loaded = await loadConfig(flags.config ?? 'config.yaml', { env: ctx.env, cwd: ctx.cwd });
  const { config } = loaded;
  if (config.gate.rules.length === 0) {
    // A gate without rules would pass anything: that is a configuration mistake, not a verdict.
    throw new ConfigError(
      [
        {
          file: path.relative(ctx.cwd, loaded.file) || loaded.file,
          path: 'gate.rules',
          message: 'no gate rules: add at least one under gate.rules (docs/ci.md lists the kinds)',
        },
      ],
      'nothing to gate',
    );
  }
  const [base, cand] = await loadSides(baseSpec, candSpec, ctx.cwd, gateWatchlist(config.gate, config.watchlist));
  const corrected = await correctedInput(loaded, flags, [base, cand], ctx);
  const result = runGate(base, cand, {
    corrected,
    gate: config.gate,
    watchlist: config.watchlist,
    allowSuiteMismatch: flags.allowSuiteMismatch ?? false,
    allowJudgeMismatch: flags.allowJudgeMismatch ?? false,
    now: ctx.now,
  });
  result.warnings.unshift(
    ...requireComplete(
      [
        { run: base.run, modelId: base.table.modelId },
        { run: cand.run, modelId: cand.table.modelId },
      ],
      { allowIncomplete: flags.allowIncomplete === true, cfg: loaded },
    ),
  );
  const outDir = flags.out ? path.resolve(ctx.cwd, flags.out) : undefined;
  const finish = () => writeGateOutputs(result, flags, outDir, ctx);
  if (outDir) await asOnlyWriter(outDir, 'gate', ctx, finish);
  else await finish();
  return result.exitCode;
}

/** gate.json (with --out), JUnit, the step summary, the verdict lines and the report. */
async function writeGateOutputs(result: GateResult, flags: GateFlags, outDir: string | undefined, ctx: AppContext): Promise<void> {
  if (outDir) await writeFileAtomic(diffFile(outDir, 'gate'), `${JSON.stringify(result, null, 2)}\n`);
  if (flags.junit) await writeFileAtomic(path.resolve(ctx.cwd, flags.junit), gateJunit(result));
  for (const r of result.rules)
    ctx.stdout.write(
      `${r.status.toUpperCase()}  ${r.name}: ${r.message}${r.mde !== null ? ` (MDE ${(r.mde * 100).toFixed(1)} pts)` : ''}\n`,
    );
  for (const w of result.warnings) ctx.stderr.write(`note: ${w}\n`);
  // gate.json exists only with --out; the report there combines it with a diff in the same directory.
  const reported = outDir && flags.report !== false ? await (await import('./report-command.js')).autoReport(outDir, ctx) : false;
  await writeStepSummary(result, flags, reported ? outDir : undefined, ctx);
  ctx.stdout.write(`${verdictLine(result)}\n`);
}

/** A step summary cannot show files beside it: report.md's "Charts" section (relative links) is left out. */
function withoutChartLinks(md: string): string {
  return md.replace(/^#### Charts\n\n(?:- \[.*\]\(charts\/.*\)\n|> .*\n)*\n?/m, '');
}

/**
 * The step summary is the report's Markdown: report.md when the gate just wrote one (a diff report
 * when diff.json is beside gate.json), else the gate report built in memory. Appended, as GitHub
 * expects of GITHUB_STEP_SUMMARY.
 */
async function writeStepSummary(result: GateResult, flags: GateFlags, reportDir: string | undefined, ctx: AppContext): Promise<void> {
  const summaryFile = flags.summary ? path.resolve(ctx.cwd, flags.summary) : ctx.env.GITHUB_STEP_SUMMARY;
  if (!summaryFile) return;
  const summary = reportDir
    ? withoutChartLinks(await fsp.readFile(runFile(reportDir, 'reportMarkdown'), 'utf8'))
    : await (await import('../stages/report/write-report.js')).gateSummaryMarkdown(result, ctx);
  try {
    await fsp.appendFile(summaryFile, `${summary}\n`);
  } catch (e) {
    throw storageError(summaryFile, e);
  }
}

/** "gate INCONCLUSIVE: 2 pass, 1 fail, 1 inconclusive of 4 rules; inconclusive counts as fail (gate.onInconclusive) -> exit 1". */
function verdictLine(result: GateResult): string {
  const n = (s: GateResult['rules'][number]['status']) => result.rules.filter((r) => r.status === s).length;
  const counts = `${n('pass')} pass, ${n('fail')} fail, ${n('inconclusive')} inconclusive${n('error') > 0 ? `, ${n('error')} error` : ''}`;
  const policy = n('inconclusive') > 0 ? `; inconclusive counts as ${result.onInconclusive ?? 'fail'} (gate.onInconclusive)` : '';
  return `gate ${result.verdict.toUpperCase()}: ${counts} of ${result.rules.length} rules${policy} -> exit ${result.exitCode}`;
}

/**
 * Both sides' labelled cells when the gate decides on corrected estimates (gate.decideOn: corrected);
 * that setting without any labels is a configuration error, never a silent judge-only gate. A gate
 * deciding on the judge reads no labels.
 */
async function correctedInput(
  loaded: LoadedConfig,
  flags: GateFlags,
  [base, cand]: Side[],
  ctx: AppContext,
): Promise<CorrectedSides | null> {
  if (loaded.config.gate.decideOn !== 'corrected') return null;
  const input = await labelInput(flags.labels, loaded, ctx);
  if (!input)
    throw new ConfigError(
      [
        {
          file: path.relative(ctx.cwd, loaded.file) || loaded.file,
          path: 'gate.decideOn',
          message: 'decideOn: corrected needs human labels: set judge.labels (label files from `valuescope label`) or pass --labels',
        },
      ],
      'no labels to correct with',
    );
  const runs = [base!, cand!].map((s) => ({
    runDir: s.run.runDir,
    runId: s.run.manifest?.runId ?? null,
    baseline: s.run.baseline !== undefined,
  }));
  return correctedSides(base!, cand!, await readRunLabels(input, runs));
}
