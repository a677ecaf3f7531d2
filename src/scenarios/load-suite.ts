import { promises as fsp } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';
import { ConfigError } from '../core/errors.js';
import { contentHash } from '../util/hash.js';
import { readTextInput } from '../util/read-text.js';
import { type Problem, YamlSource } from '../util/yaml-source.js';
import { type Scenario, type ScenarioFile, ScenarioSchema } from './schema.js';

export interface Suite {
  scenarios: Scenario[];
  /** Content hash of every loaded scenario: any change to the suite changes it. */
  hash: string;
}

/** Loads and validates every scenario; throws one ConfigError listing all problems. */
export async function loadSuite(patterns: readonly string[], options: { cwd: string }): Promise<Suite> {
  const { suite, problems } = await inspectSuite(patterns, options);
  if (problems.length > 0)
    throw new ConfigError(problems, `the scenario suite is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'})`);
  return suite;
}

/**
 * Like loadSuite, but returns problems instead of throwing (for `valuescope validate`). With
 * `allowEmpty` finding no file is not a problem (validate passes it when the config that says where
 * the suite is could not be read: "no scenario files" would only add noise to the real problem).
 */
export async function inspectSuite(
  patterns: readonly string[],
  options: { cwd: string; allowEmpty?: boolean },
): Promise<{ suite: Suite; problems: Problem[] }> {
  const found = await expandPatterns(patterns, options.cwd);
  const files = [...found.keys()];
  const problems: Problem[] = [];
  if (files.length === 0 && !options.allowEmpty) {
    problems.push({ file: patterns.join(', '), message: 'no scenario files (*.yaml) found: check `suite:` in config.yaml or --scenarios' });
  }
  const scenarios: Scenario[] = [];
  const firstSeen = new Map<string, string>();
  const texts = await Promise.all(files.map((f) => readTextInput(f, path.relative(options.cwd, f) || f)));
  files.forEach((abs, i) => {
    const shown = path.relative(options.cwd, abs) || abs;
    const read = texts[i];
    if (!read || 'problem' in read) {
      if (read) problems.push(read.problem);
      return;
    }
    const loaded = parseScenario(shown, read.text, found.get(abs));
    problems.push(...loaded.problems);
    if (!loaded.scenario) return;
    const other = firstSeen.get(loaded.scenario.id);
    if (other) {
      problems.push({
        file: shown,
        ...(loaded.idLine !== undefined ? { line: loaded.idLine } : {}),
        path: 'id',
        message: `duplicate id \`${loaded.scenario.id}\` (also in ${other}): ids must be unique across the suite`,
      });
      return;
    }
    firstSeen.set(loaded.scenario.id, `${shown}:${loaded.idLine ?? 1}`);
    scenarios.push(loaded.scenario);
  });
  scenarios.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { suite: { scenarios, hash: suiteHash(scenarios) }, problems };
}

function suiteHash(scenarios: readonly Pick<Scenario, 'id' | 'hash'>[]): string {
  return contentHash(scenarios.map((s) => [s.id, s.hash]).sort());
}

/**
 * Every scenario file the patterns name (sorted), each with its path relative to the suite folder it
 * was found in (`workplace/work-x.yaml` for `scenarios/workplace/work-x.yaml` under the folder
 * `scenarios`, or under the glob `scenarios/**`): what `run --scenarios 'workplace/**'` matches.
 */
async function expandPatterns(patterns: readonly string[], cwd: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const p of patterns) {
    const abs = path.resolve(cwd, p);
    const stat = await fsp.stat(abs).catch(() => undefined);
    const root = stat?.isDirectory() ? abs : stat?.isFile() ? path.dirname(path.dirname(abs)) : path.resolve(cwd, picomatch.scan(p).base);
    const found = stat?.isDirectory()
      ? await glob(['**/*.yaml', '**/*.yml'], { cwd: abs, absolute: true })
      : stat?.isFile()
        ? [abs]
        : await glob([p], { cwd, absolute: true });
    for (const f of found) {
      const file = path.normalize(f);
      if (!out.has(file)) out.set(file, path.relative(root, file).split(path.sep).join('/'));
    }
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Parses one scenario file; `shown` is the path used in messages (its folder and name carry domain and id). */
function parseScenario(shown: string, text: string, suitePath?: string): { scenario?: Scenario; problems: Problem[]; idLine?: number } {
  const { source, problems } = YamlSource.parse(shown, text);
  if (problems.length > 0) return { problems };
  const parsed = ScenarioSchema.safeParse(source.toJS() ?? {});
  if (!parsed.success) return { problems: source.zodProblems(parsed.error.issues) };
  const data = parsed.data;
  const idLine = source.locate(['id']).line;
  problems.push(...structureProblems(source, shown, data));
  if (problems.length > 0) return { problems, ...(idLine !== undefined ? { idLine } : {}) };
  const scenario = toScenario(shown, data);
  return { scenario: suitePath ? { ...scenario, suitePath } : scenario, problems, ...(idLine !== undefined ? { idLine } : {}) };
}

function structureProblems(source: YamlSource, shown: string, s: ScenarioFile): Problem[] {
  const problems: Problem[] = [];
  const base = path.basename(shown).replace(/\.ya?ml$/, '');
  if (s.id !== base) {
    problems.push({ ...source.locate(['id']), message: `id \`${s.id}\` must equal the file name \`${base}\`: rename the file or the id` });
  }
  const folder = path.basename(path.dirname(shown));
  if (s.domain !== folder) {
    problems.push({
      ...source.locate(['domain']),
      message: `domain \`${s.domain}\` must equal the folder name \`${folder}\`: move the file or fix the domain`,
    });
  }
  s.turns.forEach((turn, i) => {
    const role = 'user' in turn ? 'user' : 'assistant';
    const want = i % 2 === 0 ? 'user' : 'assistant';
    if (role !== want) {
      problems.push({
        ...source.locate(['turns', i]),
        message: `turn ${i + 1} is \`${role}\` but turns must alternate, starting with \`user\``,
      });
    }
  });
  const last = s.turns[s.turns.length - 1];
  if (last && !('user' in last)) {
    problems.push({
      ...source.locate(['turns', s.turns.length - 1]),
      message: 'the last turn must be a `user` turn: the model answers it',
    });
  }
  return problems;
}

function toScenario(file: string, s: ScenarioFile): Scenario {
  const messages = s.turns.map((t) =>
    'user' in t ? { role: 'user' as const, content: t.user } : { role: 'assistant' as const, content: t.assistant },
  );
  const userValues = s.user_values.map((v) => v.trim().toLowerCase());
  const core = {
    id: s.id,
    domain: s.domain,
    title: s.title,
    ...(s.system !== undefined ? { system: s.system } : {}),
    messages,
    userValues,
    ...(s.expect !== undefined ? { expect: [...s.expect] } : {}),
    tags: [...s.tags],
  };
  return { ...core, file, hash: contentHash(core) };
}
