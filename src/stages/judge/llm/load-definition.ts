import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../../core/errors.js';
import { packageRoot } from '../../../util/package-root.js';
import { YamlSource } from '../../../util/yaml-source.js';
import { type JudgeDefinition, JudgeDefinitionSchema } from './definition-schema.js';

/** The judges/ folder shipped with the package (next to package.json, both from src/ and dist/src/). */
function builtinJudgesDir(): string {
  return path.join(packageRoot(), 'judges');
}

/**
 * Where a judge named `name` is defined: a path to a .yaml file, else `<dir>/judges/<name>.yaml`
 * next to the config, else the package's built-in judges/.
 */
function resolveJudgeFile(name: string, dir: string): string {
  if (/\.ya?ml$/.test(name)) return path.resolve(dir, name);
  const local = path.join(dir, 'judges', `${name}.yaml`);
  if (existsSync(local)) return local;
  const builtin = path.join(builtinJudgesDir(), `${name}.yaml`);
  if (existsSync(builtin)) return builtin;
  throw new ConfigError(
    [{ file: local, message: `no judge named "${name}": create judges/${name}.yaml (see docs/judge.md) or use "lexical" or "default"` }],
    'unknown judge',
  );
}

export async function loadJudgeDefinition(name: string, dir: string): Promise<{ definition: JudgeDefinition; file: string }> {
  const file = resolveJudgeFile(name, dir);
  const text = await fsp.readFile(file, 'utf8');
  return { definition: await parseJudgeDefinition(file, text, (base) => readRaw(base, dir, [file])), file };
}

type RawLoader = (name: string) => Promise<Record<string, unknown>>;

/** A definition's raw fields with its `extends` chain applied (cycles refused). */
async function readRaw(name: string, dir: string, chain: string[]): Promise<Record<string, unknown>> {
  const file = resolveJudgeFile(name, dir);
  if (chain.includes(file)) throw new ConfigError([{ file, path: 'extends', message: `extends cycle: ${[...chain, file].join(' -> ')}` }]);
  const { source, problems } = YamlSource.parse(file, await fsp.readFile(file, 'utf8'));
  if (problems.length > 0) throw new ConfigError(problems, `${file} is not valid YAML`);
  return applyExtends(asRecord(source.toJS()), (base) => readRaw(base, dir, [...chain, file]));
}

/**
 * `extends: <judge>` takes every field of that judge; fields given here replace it, except `model`
 * and `prompt`, which are merged key by key (so a variant can swap only the provider and model).
 */
async function applyExtends(raw: Record<string, unknown>, load: RawLoader): Promise<Record<string, unknown>> {
  const { extends: base, ...own } = raw;
  if (typeof base !== 'string') return raw;
  const parent = await load(base);
  const merged: Record<string, unknown> = { ...parent, ...own };
  for (const key of ['model', 'prompt']) merged[key] = { ...asRecord(parent[key]), ...asRecord(own[key]) };
  return merged;
}

function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

async function parseJudgeDefinition(file: string, text: string, load?: RawLoader): Promise<JudgeDefinition> {
  const { source, problems } = YamlSource.parse(file, text);
  if (problems.length > 0) throw new ConfigError(problems, `${file} is not valid YAML`);
  const raw = load ? await applyExtends(asRecord(source.toJS()), load) : source.toJS();
  const r = JudgeDefinitionSchema.safeParse(raw);
  if (!r.success) throw new ConfigError(source.zodProblems(r.error.issues), `${file} is not a valid judge definition`);
  const expected = path.basename(file).replace(/\.ya?ml$/, '');
  if (r.data.name !== expected) {
    throw new ConfigError([{ ...source.locate(['name']), message: `name "${r.data.name}" must equal the file name "${expected}"` }]);
  }
  return r.data;
}
