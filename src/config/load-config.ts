import path from 'node:path';
import { ConfigError, type SourceLocation } from '../core/errors.js';
import { contentHash } from '../util/hash.js';
import { readTextInput } from '../util/read-text.js';
import { type Problem, YamlSource } from '../util/yaml-source.js';
import type { CombineOrigins } from './combine-origin.js';
import { configProblems } from './config-issues.js';
import { expandTargets } from './expand-targets.js';
import { interpolateEnv } from './interpolate.js';
import { type Config, type ConfigDocument, ConfigSchema } from './schema.js';

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the config file. */
  file: string;
  /** Directory relative paths in the config are resolved against. */
  dir: string;
  /** Hash of the resolved config (after interpolation and defaults, variants expanded, system prompt files read). */
  hash: string;
  /** File, line, column and field path of a config field (or its nearest existing parent), for located messages. */
  locate: (fieldPath: readonly PropertyKey[]) => SourceLocation;
  /** Where each target's systemCombine is written (for refuse messages). */
  combineOrigins: CombineOrigins;
}

/** Reads, interpolates and validates config.yaml. Every problem is reported at once, with file:line:column. */
export async function loadConfig(file: string, options: { env: Record<string, string | undefined>; cwd?: string }): Promise<LoadedConfig> {
  const abs = path.resolve(options.cwd ?? process.cwd(), file);
  const shown = path.relative(options.cwd ?? process.cwd(), abs) || abs;
  let read: Awaited<ReturnType<typeof readTextInput>>;
  try {
    read = await readTextInput(abs, shown);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(
      [
        {
          file: shown,
          message:
            code === 'ENOENT' ? 'config file not found: pass --config FILE or create config.yaml (see README)' : `cannot read: ${code}`,
        },
      ],
      'cannot load the config',
    );
  }
  if ('problem' in read) throw new ConfigError([read.problem], 'cannot load the config');
  const { config, problems, source, combineOrigins } = parseConfigText(shown, read.text, options.env, path.dirname(abs));
  if (!config || !source)
    throw new ConfigError(problems, `${shown} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'})`);
  const locate = (fieldPath: readonly PropertyKey[]): SourceLocation => {
    const { message: _m, ...at } = source.locate(fieldPath);
    return at;
  };
  return { config, file: abs, dir: path.dirname(abs), hash: contentHash(config), locate, combineOrigins: combineOrigins ?? new Map() };
}

/** What parseConfigText found: the config when valid, every problem, and the parsed file even when invalid. */
interface ParsedConfig {
  config: Config | undefined;
  problems: Problem[];
  /** The parsed YAML (absent when it is not YAML at all), to locate fields. */
  source?: YamlSource;
  /** The document as plain values after `${VAR}` interpolation, valid or not (so `validate` can still follow its references). */
  raw?: unknown;
  /** With a valid config: where each target's systemCombine is written. */
  combineOrigins?: CombineOrigins;
}

/**
 * Parse + validate + resolve, for `validate` (which lists problems instead of throwing) and tests.
 * `dir` is where relative paths of the config point (system prompt files are read from it); default:
 * the directory of `file`.
 */
export function parseConfigText(
  file: string,
  text: string,
  env: Record<string, string | undefined>,
  dir = path.dirname(path.resolve(file)),
): ParsedConfig {
  const { source, problems } = YamlSource.parse(file, text);
  if (problems.length > 0) return { config: undefined, problems };
  problems.push(...interpolateEnv(source, env));
  let raw: unknown;
  try {
    raw = source.toJS() ?? {};
  } catch (e) {
    // An alias bomb: a located problem like any other, so `validate` goes on to check the other files.
    if (e instanceof ConfigError) return { config: undefined, problems: [...problems, ...e.problems], source };
    throw e;
  }
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) problems.push(...configProblems(source, ConfigSchema, result.error.issues));
  if (problems.length > 0 || !result.success) return { config: undefined, problems, source, raw };
  problems.push(...crossChecks(source, result.data));
  if (problems.length > 0) return { config: undefined, problems, source, raw };
  const { targets, problems: targetProblems, origins } = expandTargets(result.data.models, { dir, locate: (at) => source.locate(at) });
  problems.push(...targetProblems);
  if (problems.length > 0) return { config: undefined, problems, source, raw };
  return { config: { ...result.data, models: targets }, problems, source, raw, combineOrigins: origins };
}

/** Rules zod cannot express field by field. */
function crossChecks(source: YamlSource, config: ConfigDocument): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  config.models.forEach((m, i) => {
    const first = seen.get(m.id);
    if (first !== undefined) {
      problems.push({
        ...source.locate(['models', i, 'id']),
        message: `duplicate model id \`${m.id}\` (also models[${first}]): ids name result rows and must be unique`,
      });
    } else seen.set(m.id, i);
    if (m.provider === 'replay' && !m.replayFrom) {
      problems.push({
        ...source.locate(['models', i]),
        message: 'the replay provider needs `replayFrom: results/<run-id>` (the run whose transcripts answer)',
      });
    }
  });
  return problems;
}
