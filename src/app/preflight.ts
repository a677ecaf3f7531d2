import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ConfigRefs } from '../config/config-refs.js';
import type { LoadedConfig } from '../config/load-config.js';
import type { ModelSpec } from '../config/model-schema.js';
import { entryIndexOf } from '../config/model-target.js';
import type { Config } from '../config/schema.js';
import type { AppContext } from '../core/context.js';
import { ConfigError, formatLocation, type SourceLocation } from '../core/errors.js';
import { missingApiKey } from '../providers/api-key.js';
import { RUN_FILES, runFile } from '../records/run-files.js';
import { loadPublishedTree, resolveTaxonomyPath } from '../taxonomy/index.js';
import type { Problem } from '../util/yaml-source.js';
import { checkJudges, problemsOf, shown } from './preflight-judges.js';

export interface PreflightInput {
  /** The valid config, or undefined when it has problems of its own: the files it names are still checked. */
  config: Config | undefined;
  refs: Pick<ConfigRefs, 'judges' | 'taxonomyPath'>;
  /** Directory of the config file (judges/ and taxonomy.path resolve against it). */
  dir: string;
  locate: (fieldPath: readonly PropertyKey[]) => SourceLocation;
  env: Record<string, string | undefined>;
  cwd: string;
  /** The models about to be called: their keys and replay sources are checked. */
  models: readonly ModelSpec[];
  /** Whether the judges are about to be called: their keys are checked. */
  callJudges: boolean;
}

export interface PreflightReport {
  problems: Problem[];
  /** Models and judges about to be called that have no API key (a warning in `validate`, an error in `run`). */
  missingKeys: Problem[];
  /** One line per judge, e.g. "default@1 (judges/default.yaml) on anthropic:claude-sonnet-5-5". */
  judges: string[];
  taxonomy: string;
}

/**
 * What `run` would otherwise find out only after creating its run directory: judge definitions
 * that do not load, a taxonomy file that does not parse, a replay source that is not there, and
 * API keys that are not set. `validate` lists all of it; `run` refuses to start on any of it.
 */
export async function preflight(o: PreflightInput): Promise<PreflightReport> {
  const judges = await checkJudges({
    names: o.refs.judges,
    config: o.config,
    dir: o.dir,
    cwd: o.cwd,
    env: o.env,
    locate: o.locate,
    keys: o.callJudges,
  });
  const taxonomy = await checkTaxonomy(o);
  const models = o.config ? checkModels(o, o.config) : { problems: [], missingKeys: [] };
  return {
    problems: [...models.problems, ...judges.problems, ...taxonomy.problems],
    missingKeys: [...models.missingKeys, ...judges.missingKeys],
    judges: judges.lines,
    taxonomy: taxonomy.line,
  };
}

/**
 * `run`'s checks before it writes anything (one call in prepareRun). A missing key is an error, or
 * a warning with --dry-run, which sends nothing.
 */
export async function checkBeforeRun(
  loaded: LoadedConfig,
  o: { models: readonly ModelSpec[]; callJudges: boolean; dryRun: boolean },
  ctx: Pick<AppContext, 'env' | 'cwd' | 'stderr'>,
): Promise<void> {
  const { config } = loaded;
  const report = await preflight({
    config,
    refs: { judges: config.judge.judges, ...(config.taxonomy.path ? { taxonomyPath: config.taxonomy.path } : {}) },
    dir: loaded.dir,
    locate: loaded.locate,
    env: ctx.env,
    cwd: ctx.cwd,
    models: o.models,
    callJudges: o.callJudges,
  });
  if (o.dryRun) {
    for (const p of report.missingKeys) ctx.stderr.write(`warning: ${formatLocation(p)}: ${p.message} (a real run stops here)\n`);
  }
  const problems = [...report.problems, ...(o.dryRun ? [] : report.missingKeys)];
  if (problems.length > 0) {
    const n = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    throw new ConfigError(problems, `cannot start the run (${n}; nothing was written or sent)`);
  }
}

function checkModels(o: PreflightInput, config: Config): { problems: Problem[]; missingKeys: Problem[] } {
  const problems: Problem[] = [];
  const missingKeys: Problem[] = [];
  for (const spec of o.models) {
    // Targets of one entry's variants share its place in the file.
    const i = entryIndexOf(config.models, spec.id);
    const at = o.locate(i === -1 ? ['models'] : ['models', i]);
    if (spec.provider === 'replay' && spec.replayFrom && !existsSync(runFile(path.resolve(o.cwd, spec.replayFrom), 'transcripts'))) {
      problems.push({
        ...o.locate(['models', i, 'replayFrom']),
        message: `${spec.replayFrom} has no ${RUN_FILES.transcripts}: point \`replayFrom\` at a finished run directory (it resolves against the current directory)`,
      });
    }
    const missing = missingApiKey(spec, o.env);
    if (missing) missingKeys.push({ ...at, message: missing });
  }
  return { problems, missingKeys };
}

async function checkTaxonomy(o: PreflightInput): Promise<{ problems: Problem[]; line: string }> {
  const given = o.refs.taxonomyPath;
  if (!given) return { problems: [], line: 'built-in tree (5 + 26 categories)' };
  const file = resolveTaxonomyPath(given, o.dir, o.env);
  const at = o.locate(['taxonomy', 'path']);
  if (!existsSync(file)) {
    const message = `taxonomy file ${shown(file, o.cwd)} does not exist: fix taxonomy.path (it resolves against the config's folder) or run \`valuescope taxonomy pull\``;
    return { problems: [{ ...at, message }], line: `${shown(file, o.cwd)} (missing)` };
  }
  try {
    const tree = await loadPublishedTree(file);
    return { problems: [], line: `${shown(file, o.cwd)} (${tree.nodes.length} nodes)` };
  } catch (e) {
    return { problems: problemsOf(e, at, o.cwd), line: `${shown(file, o.cwd)} (invalid)` };
  }
}
