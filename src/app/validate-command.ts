import path from 'node:path';
import type { CombineOrigins } from '../config/combine-origin.js';
import { type ConfigRefs, configRefs } from '../config/config-refs.js';
import { parseConfigText } from '../config/load-config.js';
import { type ModelTarget, refusesScenario } from '../config/model-target.js';
import type { Config } from '../config/schema.js';
import { refusedScenarios, targetLines } from '../config/target-lines.js';
import type { AppContext } from '../core/context.js';
import { EXIT, formatLocation, type SourceLocation } from '../core/errors.js';
import { inspectSuite, type Suite } from '../scenarios/load-suite.js';
import { findNearDuplicates, NEAR_DUPLICATE_THRESHOLD } from '../scenarios/near-duplicates.js';
import type { Scenario } from '../scenarios/schema.js';
import { suiteStats } from '../scenarios/suite-stats.js';
import { excludingGlob } from '../stages/run/scenario-glob.js';
import { readTextInput } from '../util/read-text.js';
import type { Problem } from '../util/yaml-source.js';
import { preflight } from './preflight.js';

export interface ValidateOptions {
  config: string;
  scenarios?: string[];
  similarity?: number;
  strict?: boolean;
}

/** The config as far as it could be read: valid or not, it may still say where the suite, judges and taxonomy are. */
interface ConfigView {
  config: Config | undefined;
  /** What the config names; undefined when it could not be parsed at all. */
  refs: ConfigRefs | undefined;
  dir: string;
  locate: (fieldPath: readonly PropertyKey[]) => SourceLocation;
  /** Where each target's systemCombine is written, with a valid config. */
  combineOrigins?: CombineOrigins | undefined;
}

type Out = (s: string) => void;

/**
 * Checks everything `run` would check before writing anything, and lists EVERY problem in every
 * file (config, scenarios, judge definitions, taxonomy) in one pass, so one edit-validate cycle fixes
 * them all. Missing API keys and near-duplicates are warnings; `--strict` fails on near-duplicates.
 */
export async function validateCommand(opts: ValidateOptions, ctx: AppContext): Promise<number> {
  const out: Out = (s) => ctx.stdout.write(`${s}\n`);
  const problems: Problem[] = [];
  const view = await readConfig(opts.config, ctx, problems, out);
  const suite = await checkSuite(opts, view, ctx, problems, out);
  const dups = printNearDuplicates(suite, opts.similarity ?? NEAR_DUPLICATE_THRESHOLD, out);
  const warnings = await checkReferences(view, ctx, problems, out);

  if (problems.length > 0) {
    ctx.stderr.write(`\n${problems.length} problem${problems.length === 1 ? '' : 's'}:\n`);
    for (const p of problems) ctx.stderr.write(`  ${formatLocation(p)}: ${p.message}\n`);
    return EXIT.usage;
  }
  if (opts.strict && dups > 0) return EXIT.usage;
  out(warnings > 0 ? `valid, with ${warnings} warning${warnings === 1 ? '' : 's'}` : 'valid');
  return EXIT.ok;
}

async function readConfig(file: string, ctx: AppContext, problems: Problem[], out: Out): Promise<ConfigView> {
  const configPath = path.resolve(ctx.cwd, file);
  const shown = path.relative(ctx.cwd, configPath) || configPath;
  const view: ConfigView = { config: undefined, refs: undefined, dir: path.dirname(configPath), locate: () => ({ file: shown }) };
  const read = await readTextInput(configPath, shown).catch(() => undefined);
  if (read === undefined) {
    problems.push({ file: shown, message: 'config file not found: pass --config FILE or create config.yaml (see README)' });
    return view;
  }
  if ('problem' in read) {
    problems.push(read.problem);
    return view;
  }
  const parsed = parseConfigText(shown, read.text, ctx.env, view.dir);
  problems.push(...parsed.problems);
  const { source, config } = parsed;
  if (source) {
    view.locate = (fieldPath) => {
      const { message: _m, ...at } = source.locate(fieldPath);
      return at;
    };
  }
  if (parsed.raw !== undefined) view.refs = configRefs(parsed.raw);
  if (config) {
    view.config = config;
    view.combineOrigins = parsed.combineOrigins;
    const n = config.models.length;
    out(`${shown}: ok (${n} model${n === 1 ? '' : 's'}: ${config.models.map((m) => m.id).join(', ')})`);
    for (const line of targetLines(config.models)) out(line);
  }
  return view;
}

/** Every scenario file; when the config could not say where the suite is, finding none is not another problem. */
async function checkSuite(opts: ValidateOptions, view: ConfigView, ctx: AppContext, problems: Problem[], out: Out): Promise<Suite> {
  const patterns = opts.scenarios ?? view.refs?.suite ?? ['scenarios'];
  const unknownSuite = !opts.scenarios && view.refs?.suite === undefined;
  const { suite, problems: sp } = await inspectSuite(patterns, { cwd: opts.scenarios ? ctx.cwd : view.dir, allowEmpty: unknownSuite });
  problems.push(...sp);
  problems.push(...refusedScenarios(view.config?.models ?? [], suite.scenarios, view.combineOrigins));
  printExclusion(view.config?.models ?? [], suite.scenarios, out);
  const stats = suiteStats(suite.scenarios);
  if (stats.total === 0 && sp.length === 0 && unknownSuite) {
    out('scenarios: not checked (fix the config first: its `suite:` says where they are)');
    return suite;
  }
  const share = stats.total ? Math.round((100 * stats.multiTurn) / stats.total) : 0;
  out(`scenarios: ${stats.total} valid in ${stats.byDomain.length} domains, ${share}% multi-turn, suite hash ${suite.hash.slice(0, 12)}`);
  if (stats.byDomain.length > 0) {
    const w = Math.max(6, ...stats.byDomain.map((d) => d.domain.length));
    out(`  ${'domain'.padEnd(w)}  count  multi-turn  expect  user-values`);
    for (const d of stats.byDomain) {
      out(
        `  ${d.domain.padEnd(w)}  ${String(d.count).padStart(5)}  ${String(d.multiTurn).padStart(10)}  ${String(d.withExpect).padStart(6)}  ${String(d.withUserValues).padStart(11)}`,
      );
    }
  }
  return suite;
}

/** With systemCombine: refuse problems, the --scenarios value that leaves the refused scenarios out (as `run` prints it). */
function printExclusion(models: readonly ModelTarget[], scenarios: readonly Scenario[], out: Out): void {
  const refused = scenarios.filter((s) => models.some((m) => refusesScenario(m, s.system)));
  if (refused.length === 0) return;
  const glob = excludingGlob(scenarios, refused);
  if (glob) out(`to run without the ${refused.length} refused scenario${refused.length === 1 ? '' : 's'}: --scenarios ${glob}`);
}

/** Prints near-duplicate pairs (warnings) and returns how many there are. */
function printNearDuplicates(suite: Suite, threshold: number, out: Out): number {
  const dups = findNearDuplicates(suite.scenarios, threshold);
  if (dups.length === 0) out(`near-duplicates: none (word 3-gram Jaccard >= ${threshold})`);
  else {
    out(
      `near-duplicates: ${dups.length} pair${dups.length === 1 ? '' : 's'} (word 3-gram Jaccard >= ${threshold}); make them differ or remove one:`,
    );
    for (const d of dups) out(`  warning: ${d.a} ~ ${d.b} (similarity ${d.similarity.toFixed(2)})`);
  }
  return dups.length;
}

/** Judge definitions, taxonomy file, replay sources and API keys; returns the number of key warnings. */
async function checkReferences(view: ConfigView, ctx: AppContext, problems: Problem[], out: Out): Promise<number> {
  if (!view.refs) return 0;
  const report = await preflight({
    config: view.config,
    refs: view.refs,
    dir: view.dir,
    locate: view.locate,
    env: ctx.env,
    cwd: ctx.cwd,
    models: view.config?.models ?? [],
    callJudges: true,
  });
  problems.push(...report.problems);
  if (report.judges.length > 0) out(`judges: ${report.judges.join('; ')}`);
  out(`taxonomy: ${report.taxonomy}`);
  if (!view.config) return 0;
  if (report.missingKeys.length === 0) {
    out('api keys: set for every model and judge (or not needed)');
    return 0;
  }
  out(`api keys: ${report.missingKeys.length} missing (a warning here; \`run\` stops before writing anything until they are set):`);
  for (const p of report.missingKeys) out(`  warning: ${formatLocation(p)}: ${p.message}`);
  return report.missingKeys.length;
}
