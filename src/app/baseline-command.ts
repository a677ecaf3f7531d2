import { existsSync } from 'node:fs';
import path from 'node:path';
import { GATE_DEFAULTS } from '../config/gate-schema.js';
import { type LoadedConfig, loadConfig } from '../config/load-config.js';
import { DEFAULT_WATCHLIST } from '../config/schema.js';
import type { AppContext } from '../core/context.js';
import { EXIT, UsageError } from '../core/errors.js';
import { type BaselineFile, serialiseBaseline } from '../records/baseline.js';
import { describeServedModels } from '../records/profile.js';
import { normaliseValueName } from '../records/value-name.js';
import { gateWatchlist } from '../stages/analyze/gate/run-gate.js';
import { buildBaseline } from '../stages/analyze/load/build-baseline.js';
import { incompleteness } from '../stages/analyze/load/completeness.js';
import { readBaselineFile } from '../stages/analyze/load/load-baseline.js';
import { loadRun, parseRunSpec } from '../stages/analyze/load/load-run.js';
import type { ModelTable } from '../stages/analyze/load/scenario-table.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { requireComplete } from './analysis-options.js';

export interface BaselineSaveFlags {
  out: string;
  config?: string;
  allowIncomplete?: boolean;
}

const fmtInt = (n: number): string => n.toLocaleString('en-US');
const short = (hash: string): string => hash.slice(0, 12);

/**
 * `baseline save RUN[#TARGET] --out FILE`: one target of a run as a small, stable file that diff and
 * gate accept wherever they accept a run side. Nothing is written when the run is incomplete (unless
 * --allow-incomplete, which the file then records) or the target is ambiguous.
 */
export async function baselineSave(runSpec: string, flags: BaselineSaveFlags, ctx: AppContext): Promise<number> {
  const spec = parseRunSpec(runSpec, ctx.cwd);
  if (spec.baseline)
    throw new UsageError(
      `${runSpec} is already a baseline file: save from the run directory it came from (valuescope baseline save RUN_DIR#MODEL_ID --out FILE)`,
    );
  const cfg = await configOf(flags.config, ctx);
  const watchlist = cfg ? gateWatchlist(cfg.config.gate, cfg.config.watchlist) : [...new Set(DEFAULT_WATCHLIST.map(normaliseValueName))];
  const run = await loadRun(spec, watchlist);
  const order = (run.manifest?.models ?? []).map((m) => m.id);
  const table = targetOf(
    runSpec,
    spec.modelId,
    [...run.models].sort((a, b) => order.indexOf(a.modelId) - order.indexOf(b.modelId)),
  );
  const notes = requireComplete([{ run, modelId: table.modelId }], { allowIncomplete: flags.allowIncomplete === true, cfg });
  const file = buildBaseline(run, table, watchlist);
  const text = serialiseBaseline(file);
  const out = path.resolve(ctx.cwd, flags.out);
  await writeFileAtomic(out, text);
  for (const n of notes) ctx.stderr.write(`note: ${n}\n`);
  const shown = path.relative(ctx.cwd, out) || out;
  const { scenarios, cells } = sizeOf(file);
  ctx.stdout.write(
    `wrote ${shown} (${fmtInt(Buffer.byteLength(text))} bytes): baseline of ${table.modelId} from run ${file.saved.from.runId}, ` +
      `${fmtInt(scenarios)} scenarios, ${fmtInt(cells)} cells; tracks ${file.watchlist.length} watched values` +
      `${cfg ? ` (watch list and forbid rules of ${path.relative(ctx.cwd, cfg.file) || cfg.file})` : ' (the default watch list: no config)'}\n`,
  );
  return EXIT.ok;
}

/** --config, else config.yaml when it exists (the gate's default), else none: the default watch list. */
async function configOf(flag: string | undefined, ctx: AppContext): Promise<LoadedConfig | null> {
  if (flag !== undefined) return loadConfig(flag, { env: ctx.env, cwd: ctx.cwd });
  return existsSync(path.resolve(ctx.cwd, 'config.yaml')) ? loadConfig('config.yaml', { env: ctx.env, cwd: ctx.cwd }) : null;
}

function targetOf(runSpec: string, modelId: string | null, models: readonly ModelTable[]): ModelTable {
  if (modelId !== null) return models.find((m) => m.modelId === modelId)!;
  if (models.length === 1) return models[0]!;
  throw new UsageError(
    `${runSpec} holds ${models.length} targets; a baseline holds one: name it as ${models.map((m) => `${runSpec}#${m.modelId}`).join(' or ')}`,
  );
}

function sizeOf(file: BaselineFile): { scenarios: number; cells: number; judged: number } {
  const all = Object.values(file.table.scenarios);
  return {
    scenarios: all.length,
    cells: all.reduce((n, s) => n + s.cells, 0),
    judged: all.reduce((n, s) => n + s.den.judged, 0),
  };
}

/**
 * What tells this target apart from others of its entry: variant, system prompt (its hash, never
 * the text) and header names (never values). Nothing for a plain target.
 */
function targetLine(m: BaselineFile['manifest']['models'][number]): string[] {
  const parts = [
    m.variant !== undefined ? `variant ${m.variant} of entry ${m.entry ?? '?'}` : null,
    m.systemHash !== undefined ? `system prompt sha256 ${short(m.systemHash)} (${m.systemCombine ?? 'prepend'})` : null,
    m.headerNames && m.headerNames.length > 0 ? `headers ${m.headerNames.join(', ')}` : null,
  ].filter((p) => p !== null);
  return parts.length > 0 ? [`  target    ${parts.join('; ')}`] : [];
}

/** `baseline show FILE`: what a baseline holds, without running an analysis. */
export async function baselineShow(fileArg: string, ctx: AppContext): Promise<number> {
  const spec = parseRunSpec(fileArg, ctx.cwd);
  if (!spec.baseline) throw new UsageError(`${fileArg} is not a file: pass a baseline file written by valuescope baseline save`);
  const b = await readBaselineFile(spec.runDir, fileArg);
  const { scenarios, cells, judged } = sizeOf(b);
  const m = b.manifest;
  const entry = m.models[0]!;
  const c = b.completeness.models[0];
  const watched = Object.entries(b.table.watch).map(([v, w]) => `${v} (${w.cells} cells)`);
  const lines = [
    `${fileArg}: baseline of ${b.table.modelId} (format v${b.v}, saved by valuescope ${b.saved.harnessVersion})`,
    `  run       ${m.runId} (${m.status}), started ${m.startedAt}, finished ${m.finishedAt ?? 'never'}, valuescope ${m.harnessVersion}`,
    `  model     ${entry.provider} ${entry.model}${entry.temperature !== undefined ? `, temperature ${entry.temperature}` : ''}${entry.topP !== undefined ? `, topP ${entry.topP}` : ''}, maxTokens ${entry.maxTokens}`,
    ...targetLine(entry),
    `  served    ${describeServedModels({ identities: b.table.served, unrecorded: b.table.servedUnrecorded })}`,
    `  suite     ${short(m.suiteHash)}: ${fmtInt(scenarios)} scenarios held (${fmtInt(Object.keys(m.scenarios).length)} in the run), ${m.samples} samples each`,
    `  cells     ${fmtInt(cells)}: ${fmtInt(judged)} judged, ${fmtInt(cells - judged)} errored${c && c.planned !== null ? ` (${fmtInt(c.planned)} planned)` : ''}`,
    `  judge     ${b.table.judgeIds.join(', ')} (hash ${b.table.judgeHashes.map(short).join(', ')}; models ${b.table.judgeModels.join(', ') || 'none'})`,
    `  config    ${short(m.configHash)}`,
    `  watches   ${b.watchlist.join(', ') || 'nothing'}; expressed: ${watched.join(', ') || 'none'}`,
  ];
  ctx.stdout.write(`${lines.join('\n')}\n`);
  const reasons = incompleteness({ ...b.completeness, shard: b.completeness.shard }, fileArg, GATE_DEFAULTS.maxJudgeErrorShare, {
    runId: b.saved.from.runId,
  });
  ctx.stdout.write(
    reasons.length > 0
      ? reasons.map((r) => `  INCOMPLETE: ${r}\n`).join('')
      : '  complete  every planned cell was run and judged when it was saved\n',
  );
  return EXIT.ok;
}
