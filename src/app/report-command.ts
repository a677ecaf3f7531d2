import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_WATCHLIST } from '../config/schema.js';
import type { AppContext } from '../core/context.js';
import { InputError } from '../core/errors.js';
import { incompleteNote } from '../records/incomplete-note.js';
import { diffFile, runFile } from '../records/run-files.js';
import { loadRun, parseRunSpec } from '../stages/analyze/load/load-run.js';
import { type ReportResult, writeReport } from '../stages/report/write-report.js';
import { requireComplete } from './analysis-options.js';
import { asOnlyWriter, asOnlyWriterOf } from './lock-options.js';

function say(r: ReportResult, ctx: Pick<AppContext, 'cwd' | 'stdout' | 'stderr'>): void {
  const rel = path.relative(ctx.cwd, r.outDir) || '.';
  ctx.stdout.write(`Wrote the ${r.kind} report to ${rel}: report.md, report.html (${r.transcripts} transcripts), ${r.charts} charts\n`);
  if (r.chartsSkipped) ctx.stderr.write(`valuescope: ${r.chartsSkipped}\n`);
  for (const n of r.notes) ctx.stderr.write(`valuescope: note: ${n}\n`);
}

/**
 * `valuescope report DIR [--out DIR] [--no-charts] [--allow-incomplete]`: writes the report and
 * says where it is. A run whose cells are not all run and judged is refused, as `profile` refuses it.
 */
export async function runReportCommand(
  dir: string,
  opts: { out?: string; charts: boolean; allowIncomplete?: boolean },
  ctx: AppContext,
): Promise<void> {
  const write = async () => {
    const incomplete = await runIncompleteness(path.resolve(ctx.cwd, dir), opts.allowIncomplete === true);
    const out = opts.out !== undefined ? { out: opts.out } : {};
    say(await writeReport(dir, { ctx, charts: opts.charts, incomplete, ...out }), ctx);
  };
  if (opts.out !== undefined) await asOnlyWriter(path.resolve(ctx.cwd, opts.out), 'report', ctx, write);
  // A directory that does not exist gets no lock: writeReport says what it expected there.
  else if (existsSync(path.resolve(ctx.cwd, dir))) await asOnlyWriterOf(path.resolve(ctx.cwd, dir), 'report', ctx, write);
  else await write();
}

/**
 * Why a run directory's report would describe an incomplete run (exit 2 unless `allow`); empty for
 * a diff directory, whose diff.json and gate.json carry their own INCOMPLETE notes, and for what is
 * not a run directory at all (writeReport says what it expected).
 */
async function runIncompleteness(dir: string, allow: boolean): Promise<string[]> {
  if (existsSync(diffFile(dir, 'diff')) || existsSync(diffFile(dir, 'gate')) || !existsSync(runFile(dir, 'manifest'))) return [];
  if (!existsSync(runFile(dir, 'judgments'))) {
    const reason = `${dir}: no cell is judged yet; judge them with: valuescope judge ${dir}`;
    if (!allow)
      throw new InputError(`the input is incomplete:\n  ${reason}\nFix it as above, or pass --allow-incomplete to report it anyway.`);
    return [incompleteNote(reason)];
  }
  const run = await loadRun(parseRunSpec(dir, dir), DEFAULT_WATCHLIST);
  return requireComplete([{ run }], { allowIncomplete: allow, cfg: null });
}

/**
 * For `run`, `diff` and `gate` at their end: writes the report into `dir` and says so. A report
 * that cannot be written is a warning, never a change of the command's exit code.
 */
export async function autoReport(
  dir: string,
  ctx: Pick<AppContext, 'cwd' | 'env' | 'stdout' | 'stderr'>,
  options: { charts?: boolean } = {},
): Promise<ReportResult | null> {
  try {
    const r = await writeReport(dir, { ctx, ...(options.charts !== undefined ? { charts: options.charts } : {}) });
    say(r, ctx);
    return r;
  } catch (e) {
    ctx.stderr.write(
      `valuescope: warning: the report was not written: ${(e as Error).message}\n  (re-run it with: valuescope report ${dir})\n`,
    );
    return null;
  }
}
