import type { z } from 'zod';
import type { Problem, YamlSource } from '../util/yaml-source.js';
import { didYouMean } from './suggest.js';
import { VARIANT_NAME_RULE } from './variant-schema.js';

/** Fields of a `models:` entry that a judge model does not take. */
const TARGET_ONLY = new Set(['system', 'systemFile', 'systemCombine', 'variants']);

/** `variants:` written as a YAML list (`- name: ...`), the usual first guess. */
const VARIANTS_SHAPE = [
  '`variants` is a map of NAME: {overrides}, not a list: each variant name is a key, its overrides the value, e.g.',
  '      old-prompt: { systemFile: prompts/old.txt }',
  '      new-prompt: { system: "You are concise.", temperature: 0 }',
].join('\n');

/**
 * Located problems for config.yaml's zod issues. Beyond YamlSource.zodProblems: an unknown field gets
 * a "did you mean" from the fields its object accepts, a judge model's `system`/`variants` says why
 * they are refused there, a bad variant name says what a name may hold, and `variants:` written as a
 * list shows the map it must be.
 */
export function configProblems(source: YamlSource, schema: z.ZodType, issues: readonly z.core.$ZodIssue[]): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        out.push({ ...source.locate(issue.path, key), message: unknownKeyMessage(issue.path, key, known) });
      }
    } else if (issue.code === 'invalid_key' && issue.path.at(-2) === 'variants') {
      out.push({ ...source.locate(issue.path), message: `variant name \`${String(issue.path.at(-1))}\`: ${VARIANT_NAME_RULE}` });
    } else if (issue.code === 'invalid_type' && issue.path.at(-1) === 'variants' && issue.expected === 'record') {
      out.push({ ...source.locate(issue.path), message: VARIANTS_SHAPE });
    } else out.push(...source.zodProblems([issue]));
  }
  return out;
}

function unknownKeyMessage(at: readonly PropertyKey[], key: string, known: readonly string[]): string {
  if (at[0] === 'judge' && at[1] === 'model' && TARGET_ONLY.has(key)) {
    return `unknown field \`${key}\`: judge models take no system prompt or variants (the judge's own prompt is in its definition under judges/); set \`${key}\` on a model under \`models:\``;
  }
  return `unknown field \`${key}\`${didYouMean(key, known)}: remove it or check its spelling`;
}

/** The keys the object schema at `at` accepts (through optional, default, array and record wrappers); empty when unknown. */
function knownKeysAt(schema: z.ZodType, at: readonly PropertyKey[]): string[] {
  let node: unknown = schema;
  for (const seg of [...at, undefined]) {
    node = unwrap(node);
    const def = defOf(node);
    if (seg === undefined) return def?.type === 'object' ? Object.keys(def.shape ?? {}) : [];
    if (def?.type === 'object') node = def.shape?.[String(seg)];
    else if (def?.type === 'array') node = def.element;
    else if (def?.type === 'record') node = def.valueType;
    else return [];
  }
  return [];
}

interface SchemaDef {
  type?: string;
  shape?: Record<string, unknown>;
  element?: unknown;
  valueType?: unknown;
  innerType?: unknown;
  in?: unknown;
}

function defOf(node: unknown): SchemaDef | undefined {
  return (node as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
}

/** Strips optional, default, prefault, nullable and pipe wrappers. */
function unwrap(node: unknown): unknown {
  for (let i = 0; i < 16; i++) {
    const def = defOf(node);
    if (def?.innerType !== undefined) node = def.innerType;
    else if (def?.type === 'pipe') node = def.in;
    else return node;
  }
  return node;
}
