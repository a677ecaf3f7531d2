import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileSlug } from '../util/file-slug.js';
import type { Problem } from '../util/yaml-source.js';
import type { CombineOrigin } from './combine-origin.js';
import type { ModelTarget } from './model-target.js';
import type { ModelEntry, Variant } from './variant-schema.js';

/** Locates a config field (file, line, column, field path) for a problem message. */
type Locate = (fieldPath: readonly PropertyKey[]) => Problem;

/** System prompt files are read whole; a prompt larger than this is a wrong path, not a prompt. */
const MAX_SYSTEM_FILE_BYTES = 256 * 1024;

/**
 * Expands validated `models:` entries into the targets a run asks: an entry without variants is one
 * target; an entry with variants is one target per variant, id `entry@variant`, whose fields
 * override the entry's (headers merge, the variant winning per header name, case-insensitively).
 * `systemFile` is read here, relative to the config's directory. Every problem is located.
 */
export function expandTargets(
  entries: readonly ModelEntry[],
  o: { dir: string; locate: Locate },
): { targets: ModelTarget[]; problems: Problem[]; origins: Map<string, CombineOrigin> } {
  const targets: ModelTarget[] = [];
  const origins = new Map<string, CombineOrigin>();
  const origin = (t: ModelTarget, at: PropertyKey[], on: CombineOrigin['on']) => origins.set(t.id, { ...located(o.locate(at)), on });
  const where: PropertyKey[][] = [];
  /** Targets whose system prompt (or their entry's) could not be read: already a problem. */
  const unresolved: boolean[] = [];
  const problems: Problem[] = [];
  entries.forEach((entry, i) => {
    const { system: _s, systemFile: _f, systemCombine, variants, ...base } = entry;
    const before = problems.length;
    const entrySystem = resolveSystem(entry, ['models', i], o, problems);
    const entryCombine = (t: ModelTarget): void => {
      if (systemCombine !== undefined) origin(t, ['models', i, 'systemCombine'], 'entry');
    };
    if (!variants) {
      const target: ModelTarget = { ...base, ...withSystem(entrySystem, systemCombine) };
      targets.push(target);
      entryCombine(target);
      where.push(['models', i, 'id']);
      unresolved.push(problems.length > before);
      return;
    }
    for (const [name, v] of Object.entries(variants)) {
      const system = resolveSystem(v, ['models', i, 'variants', name], o, problems) ?? entrySystem;
      // The entry's systemCombine means nothing to a variant without a prompt (a no-prompt control): not inherited.
      const combine = v.systemCombine ?? (system !== undefined ? systemCombine : undefined);
      const target = variantTarget(base, name, v, system, combine);
      targets.push(target);
      if (v.systemCombine !== undefined) origin(target, ['models', i, 'variants', name, 'systemCombine'], 'variant');
      else if (combine !== undefined) entryCombine(target);
      where.push(['models', i, 'variants', name]);
      unresolved.push(problems.length > before);
    }
  });
  problems.push(...fileNameClashes(targets, where, o.locate));
  targets.forEach((t, i) => {
    // replace/refuse without a prompt would send the scenario's own prompt: a no-op the user did not mean.
    if (t.systemCombine !== undefined && t.system === undefined && !unresolved[i])
      problems.push({
        ...o.locate(where[i]!),
        message: `target \`${t.id}\` sets systemCombine: ${t.systemCombine} but has no system prompt, so it would send each scenario's own: add \`system\` or \`systemFile\`, or drop systemCombine`,
      });
  });
  return { targets, problems, origins };
}

/** A problem's location without its (empty) message. */
function located(p: Problem): Omit<Problem, 'message'> {
  const { message: _m, ...where } = p;
  return where;
}

/**
 * Target ids name files (charts, profiles, diff folders), where `@`, `_`, `.` and case do not
 * survive every file system and URL: `assistant@new` and an entry `assistant-new`, or variants `New`
 * and `new`, would write over each other's charts. Such ids are refused here, where they can still
 * be renamed.
 */
function fileNameClashes(targets: readonly ModelTarget[], where: readonly PropertyKey[][], locate: Locate): Problem[] {
  const seen = new Map<string, string>();
  const problems: Problem[] = [];
  targets.forEach((t, i) => {
    const key = fileSlug(t.id);
    const other = seen.get(key);
    if (other === undefined) seen.set(key, t.id);
    else if (other !== t.id)
      problems.push({
        ...locate(where[i]!),
        message: `target \`${t.id}\` and target \`${other}\` differ only in case, punctuation or past their first 60 characters, so they would share chart and profile file names: rename one`,
      });
  });
  return problems;
}

function variantTarget(
  base: Omit<ModelEntry, 'system' | 'systemFile' | 'systemCombine' | 'variants'>,
  name: string,
  v: Variant,
  system: string | undefined,
  systemCombine: ModelTarget['systemCombine'],
): ModelTarget {
  const headers = mergeHeaders(base.headers, v.headers);
  const { headers: _h, ...rest } = base;
  return {
    ...rest,
    id: `${base.id}@${name}`,
    ...(v.model !== undefined ? { model: v.model } : {}),
    ...(v.temperature !== undefined ? { temperature: v.temperature } : {}),
    ...(v.topP !== undefined ? { topP: v.topP } : {}),
    ...(v.maxTokens !== undefined ? { maxTokens: v.maxTokens } : {}),
    ...(headers ? { headers } : {}),
    ...withSystem(system, systemCombine),
    entry: base.id,
    variant: name,
  };
}

function withSystem(
  system: string | undefined,
  systemCombine: ModelTarget['systemCombine'],
): Pick<ModelTarget, 'system' | 'systemCombine'> {
  return {
    ...(system !== undefined ? { system } : {}),
    ...(systemCombine !== undefined ? { systemCombine } : {}),
  };
}

/** HTTP header names are case-insensitive: a variant's `X-Foo` replaces the entry's `x-foo`. */
function mergeHeaders(
  entry: Record<string, string> | undefined,
  variant: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!variant) return entry;
  const replaced = new Set(Object.keys(variant).map((n) => n.toLowerCase()));
  const kept = Object.entries(entry ?? {}).filter(([n]) => !replaced.has(n.toLowerCase()));
  return { ...Object.fromEntries(kept), ...variant };
}

/** The system prompt a field set names: `system`, or the text of `systemFile`; a problem for both or an unreadable file. */
function resolveSystem(
  fields: { system?: string | undefined; systemFile?: string | undefined },
  at: PropertyKey[],
  o: { dir: string; locate: Locate },
  problems: Problem[],
): string | undefined {
  if (fields.system !== undefined && fields.systemFile !== undefined) {
    problems.push({
      ...o.locate([...at, 'systemFile']),
      message: 'set either `system` (the prompt itself) or `systemFile` (a file holding it), not both',
    });
    return undefined;
  }
  if (fields.systemFile === undefined) return fields.system;
  const file = path.resolve(o.dir, fields.systemFile);
  const problem = (why: string): undefined => {
    problems.push({ ...o.locate([...at, 'systemFile']), message: `system prompt file ${fields.systemFile} (${file}) ${why}` });
    return undefined;
  };
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return problem(
      code === 'ENOENT'
        ? 'does not exist: the path is relative to the config file; fix the path or create the file'
        : `cannot be read (${code}): it must be a readable text file`,
    );
  }
  if (bytes.length > MAX_SYSTEM_FILE_BYTES)
    return problem(`is ${bytes.length} bytes, over the ${MAX_SYSTEM_FILE_BYTES}-byte limit: is it the right file?`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return problem('is not valid UTF-8: save it as UTF-8');
  }
  // Editors end files with a newline; it is not part of the prompt.
  const prompt = text.trimEnd();
  return prompt.trim() === '' ? problem('is empty: write the prompt in it, or use `system:`') : prompt;
}
