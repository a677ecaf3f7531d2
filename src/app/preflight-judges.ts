import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/schema.js';
import { didYouMean } from '../config/suggest.js';
import { ConfigError, formatLocation, InputError, type SourceLocation } from '../core/errors.js';
import { missingApiKey } from '../providers/api-key.js';
import { loadJudgeDefinition } from '../stages/judge/llm/load-definition.js';
import { judgeModelSpec } from '../stages/judge/panel.js';
import { packageRoot } from '../util/package-root.js';
import type { Problem } from '../util/yaml-source.js';

/** What the judge checks found: problems in definition files, judges without a key, and one line per judge. */
export interface JudgeCheck {
  problems: Problem[];
  missingKeys: Problem[];
  lines: string[];
}

export interface JudgeCheckInput {
  names: readonly string[];
  /** The valid config (for `judge.model` overrides), or undefined when it is invalid: definitions are still checked. */
  config: Config | undefined;
  /** Directory of the config file: `judges/<name>.yaml` next to it wins over the built-in ones. */
  dir: string;
  cwd: string;
  env: Record<string, string | undefined>;
  locate: (fieldPath: readonly PropertyKey[]) => SourceLocation;
  /** Whether their keys must be present (the judges are about to be called). */
  keys: boolean;
}

/**
 * Loads and validates every judge definition the config names (the `extends` chain included), as
 * `run` and `judge` would, and checks the key of each judge's model: what would otherwise fail only
 * after a run directory exists.
 */
export async function checkJudges(o: JudgeCheckInput): Promise<JudgeCheck> {
  const out: JudgeCheck = { problems: [], missingKeys: [], lines: [] };
  for (const [i, name] of o.names.entries()) {
    if (name === 'lexical') {
      out.lines.push('lexical (built-in, offline, no key)');
      continue;
    }
    const at = o.locate(['judge', 'judges', i]);
    const unknown = unknownJudge(name, o.dir);
    if (unknown) {
      out.problems.push({ ...at, message: unknown });
      continue;
    }
    let loaded: Awaited<ReturnType<typeof loadJudgeDefinition>>;
    try {
      loaded = await loadJudgeDefinition(name, o.dir);
    } catch (e) {
      out.problems.push(...problemsOf(e, at, o.cwd));
      continue;
    }
    if (!o.config) continue;
    const { definition: def, file } = loaded;
    let spec: ReturnType<typeof judgeModelSpec>;
    try {
      spec = judgeModelSpec(def, o.config);
    } catch (e) {
      out.problems.push({ ...at, message: `judge \`${name}\` with \`judge.model\` applied is invalid: ${zodText(e)}` });
      continue;
    }
    out.lines.push(`${def.name}@${def.version} (${shown(file, o.cwd)}) on ${spec.provider}:${spec.model}`);
    const missing = o.keys ? missingApiKey(spec, o.env) : undefined;
    if (missing) out.missingKeys.push({ ...at, message: `judge \`${name}\`: ${missing}; or point \`judge.model\` at another model` });
  }
  return out;
}

/** Why no definition can be found for `name` (with the judges that exist), or undefined when one can. */
function unknownJudge(name: string, dir: string): string | undefined {
  if (/\.ya?ml$/.test(name)) {
    return existsSync(path.resolve(dir, name))
      ? undefined
      : `judge file ${name} does not exist (paths resolve against the config's folder)`;
  }
  const dirs = [path.join(dir, 'judges'), path.join(packageRoot(), 'judges')];
  if (dirs.some((d) => existsSync(path.join(d, `${name}.yaml`)))) return undefined;
  const known = [...new Set(['lexical', ...dirs.flatMap(yamlNames)])];
  return `no judge named \`${name}\`${didYouMean(name, known)}: judges available are ${known.join(', ')}; or create judges/${name}.yaml next to the config (see docs/judge.md)`;
}

function yamlNames(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.slice(0, -'.yaml'.length))
      .sort();
  } catch {
    return [];
  }
}

/** A load failure as located problems (files shown relative to cwd); an unexpected error is rethrown. */
export function problemsOf(e: unknown, at: SourceLocation, cwd: string): Problem[] {
  if (e instanceof ConfigError) return e.problems.map((p) => ({ ...p, file: shown(p.file, cwd) }));
  if (e instanceof InputError) {
    if (!e.location) return [{ ...at, message: e.message }];
    const prefix = `${formatLocation(e.location)}: `;
    const message = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
    return [{ ...e.location, file: shown(e.location.file, cwd), message }];
  }
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') return [{ ...at, message: `cannot read (${code}): ${(e as Error).message}` }];
  throw e;
}

function zodText(e: unknown): string {
  const issues = (e as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
  return issues ? issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ') : String((e as Error).message);
}

export function shown(file: string, cwd: string): string {
  return path.isAbsolute(file) ? path.relative(cwd, file) || file : file;
}
