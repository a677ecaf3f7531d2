/**
 * Builds a JSON value that satisfies a JSON Schema: types, const/enum, required, nested objects,
 * arrays with min/maxItems and uniqueItems, numeric bounds, string lengths and common formats,
 * $ref into the same document, anyOf/oneOf/allOf. `pattern` is not honoured: plug in a
 * `structuredResponder` for schemas that need it.
 */
import { pick } from './random.js';

type Schema = Record<string, unknown>;
const WORDS = [
  'honesty',
  'harm prevention',
  'healthy boundaries',
  'personal autonomy',
  'transparency',
  'compassion',
  'fairness',
  'accuracy',
];
const MAX_DEPTH = 8;

export function sampleFromSchema(schema: unknown, rand: () => number): unknown {
  return gen(schema, schema, rand, 0);
}

function gen(node: unknown, root: unknown, rand: () => number, depth: number): unknown {
  if (node === true || node === undefined) return 'value';
  if (!node || typeof node !== 'object') return null;
  const s = node as Schema;
  if (typeof s.$ref === 'string') return gen(resolveRef(root, s.$ref), root, rand, depth + 1);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return pick(s.enum, rand);
  const choices = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(choices) && choices.length > 0) {
    const nonNull = choices.filter((c) => (c as Schema)?.type !== 'null');
    return gen(pick(nonNull.length ? nonNull : choices, rand), root, rand, depth + 1);
  }
  if (Array.isArray(s.allOf)) return gen(mergeAll(s, root), root, rand, depth + 1);
  switch (typeOf(s)) {
    case 'object':
      return genObject(s, root, rand, depth);
    case 'array':
      return genArray(s, root, rand, depth);
    case 'string':
      return genString(s, rand);
    case 'integer':
      return genNumber(s, rand, true);
    case 'number':
      return genNumber(s, rand, false);
    case 'boolean':
      return rand() < 0.5;
    default:
      return null;
  }
}

function typeOf(s: Schema): string {
  const t = s.type;
  if (Array.isArray(t)) return (t.find((x) => x !== 'null') ?? 'null') as string;
  if (typeof t === 'string') return t;
  if (s.properties) return 'object';
  if (s.items || s.prefixItems) return 'array';
  return 'string';
}

function genObject(s: Schema, root: unknown, rand: () => number, depth: number): Record<string, unknown> {
  const props = (s.properties ?? {}) as Record<string, unknown>;
  const required = new Set((s.required ?? []) as string[]);
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(props)) {
    // Past the depth limit only required keys are filled, which ends recursive schemas.
    if (depth >= MAX_DEPTH && !required.has(key)) continue;
    out[key] = gen(sub, root, rand, depth + 1);
  }
  return out;
}

function genArray(s: Schema, root: unknown, rand: () => number, depth: number): unknown[] {
  const prefix = Array.isArray(s.prefixItems) ? (s.prefixItems as unknown[]) : [];
  const min = Math.max(num(s.minItems) ?? (depth >= MAX_DEPTH ? 0 : 1), prefix.length);
  const max = Math.max(min, num(s.maxItems) ?? min + 2);
  const count = depth >= MAX_DEPTH ? min : min + Math.floor(rand() * (max - min + 1));
  const item = s.items;
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (let i = 0, tries = 0; out.length < count && tries < count * 20; tries++) {
    const v = i < prefix.length ? gen(prefix[i], root, rand, depth + 1) : gen(item, root, rand, depth + 1);
    if (s.uniqueItems === true && seen.has(JSON.stringify(v))) continue;
    seen.add(JSON.stringify(v));
    out.push(v);
    i++;
  }
  return out;
}

function genString(s: Schema, rand: () => number): string {
  const format = s.format;
  let text: string;
  if (format === 'date-time') text = new Date(Date.UTC(2025, 0, 1 + Math.floor(rand() * 365))).toISOString();
  else if (format === 'date') text = new Date(Date.UTC(2025, 0, 1 + Math.floor(rand() * 365))).toISOString().slice(0, 10);
  else if (format === 'email') text = `user${Math.floor(rand() * 1000)}@example.com`;
  else if (format === 'uri' || format === 'url') text = `https://example.com/${Math.floor(rand() * 1000)}`;
  else if (format === 'uuid') text = `00000000-0000-4000-8000-${String(Math.floor(rand() * 1e12)).padStart(12, '0')}`;
  else text = pick(WORDS, rand);
  const minLength = num(s.minLength) ?? 0;
  const maxLength = num(s.maxLength);
  while (text.length < minLength) text += ` ${pick(WORDS, rand)}`;
  return maxLength !== undefined ? text.slice(0, maxLength) : text;
}

function genNumber(s: Schema, rand: () => number, integer: boolean): number {
  const exMin = num(s.exclusiveMinimum);
  const exMax = num(s.exclusiveMaximum);
  const step = integer ? 1 : 0.01;
  let lo = num(s.minimum) ?? (exMin !== undefined ? exMin + step : undefined);
  let hi = num(s.maximum) ?? (exMax !== undefined ? exMax - step : undefined);
  lo ??= hi !== undefined ? Math.min(0, hi) : 0;
  hi ??= lo + 10;
  if (integer) {
    lo = Math.ceil(lo);
    hi = Math.floor(hi);
  }
  const multipleOf = num(s.multipleOf);
  if (multipleOf) {
    const kLo = Math.ceil(lo / multipleOf);
    const kHi = Math.floor(hi / multipleOf);
    return kHi < kLo ? lo : (kLo + Math.floor(rand() * (kHi - kLo + 1))) * multipleOf;
  }
  const v = lo + rand() * (hi - lo);
  return Math.min(Math.max(integer ? Math.round(v) : Math.round(v * 100) / 100, lo), hi);
}

function mergeAll(s: Schema, root: unknown): Schema {
  const merged: Schema = { type: 'object', properties: {}, required: [] };
  for (const part of [s, ...(s.allOf as unknown[])]) {
    let p = part as Schema;
    if (typeof p.$ref === 'string') p = resolveRef(root, p.$ref) as Schema;
    if (p.type && p.type !== 'object') return p;
    Object.assign(merged.properties as Schema, p.properties ?? {});
    (merged.required as string[]).push(...((p.required ?? []) as string[]));
  }
  return merged;
}

function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return true;
  let cur: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    cur = cur && typeof cur === 'object' ? (cur as Schema)[key] : undefined;
  }
  return cur ?? true;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
