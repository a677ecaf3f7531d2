import path from 'node:path';
import { ConfigError, type SourceLocation } from '../../core/errors.js';
import type { Manifest } from '../../records/manifest.js';
import { RUN_FILES } from '../../records/run-files.js';
import { type Shard, shardLabel } from './shard.js';

/** A run directory given to `merge`, as the user named it (`shown`) and resolved (`dir`). */
export interface MergeInput {
  dir: string;
  shown: string;
  manifest: Manifest;
}

/** A checked shard: finished, and of the same plan as the others. */
export interface ShardRun extends MergeInput {
  shard: Shard;
}

type Problem = SourceLocation & { message: string };

const FINISHED: readonly Manifest['status'][] = ['completed', 'completed_with_errors'];

/**
 * Checks that the runs are the finished shards of one plan: each a shard, each finished, all with
 * the same config, suite, scenarios, samples, models and shard count, every index 1..n given once.
 * Every problem is listed at once (a ConfigError naming the directory's manifest and its field);
 * the shards come back in index order.
 */
export function checkShards(inputs: readonly MergeInput[]): ShardRun[] {
  const problems: Problem[] = [];
  // Unfinished shards still count as given, so they are not also reported missing.
  const given: ShardRun[] = [];
  const ready = new Set<ShardRun>();
  for (const input of inputs) {
    const own = ownProblems(input);
    problems.push(...own);
    const { shard } = input.manifest;
    if (!shard || shard.index > shard.count) continue;
    const s = { ...input, shard };
    given.push(s);
    if (own.length === 0) ready.add(s);
  }
  const ref = given[0];
  if (ref) {
    for (const s of given.slice(1)) problems.push(...differences(ref, s));
    problems.push(...indexProblems(given, ref.shard.count));
  }
  if (problems.length > 0) {
    throw new ConfigError(
      problems,
      `cannot merge ${inputs.length === 1 ? 'this run' : `these ${inputs.length} runs`} (nothing was written)`,
    );
  }
  return [...ready].sort((a, b) => a.shard.index - b.shard.index);
}

function where(input: MergeInput, field: string): SourceLocation {
  return { file: path.join(input.shown, RUN_FILES.manifest), path: field };
}

/** What is wrong with one run on its own: not a shard, or not finished. */
function ownProblems(input: MergeInput): Problem[] {
  const { manifest: m, shown } = input;
  if (!m.shard) {
    return [
      {
        ...where(input, 'shard'),
        message: `not a shard: ${shown} was run without --shard; merge joins the parts of one run made with \`valuescope run --shard i/n\``,
      },
    ];
  }
  if (m.shard.index > m.shard.count) {
    return [
      { ...where(input, 'shard'), message: `${m.shard.index}/${m.shard.count} is not a shard of ${m.shard.count}: restore the manifest` },
    ];
  }
  if (!FINISHED.includes(m.status)) {
    return [
      {
        ...where(input, 'status'),
        message: `shard ${shardLabel(m.shard)} is ${m.status}, not finished: resume it first: valuescope run --resume ${shown}`,
      },
    ];
  }
  return [];
}

const FIX = 'every shard must be run from the same config and suite with the same --models, --domains, --scenarios and --samples';

/** Where a shard's plan differs from the reference shard's. */
function differences(ref: ShardRun, s: ShardRun): Problem[] {
  const a = ref.manifest;
  const b = s.manifest;
  const vs = `shard ${shardLabel(ref.shard)} (${ref.shown})`;
  const out: Problem[] = [];
  const field = (name: string, mine: unknown, theirs: unknown): void => {
    if (mine !== theirs) out.push({ ...where(s, name), message: `is ${short(mine)} here but ${short(theirs)} in ${vs}: ${FIX}` });
  };
  field('configHash', b.configHash, a.configHash);
  field('suiteHash', b.suiteHash, a.suiteHash);
  field('samples', b.samples, a.samples);
  field('shard.count', b.shard?.count, a.shard?.count);
  const scenario = firstDifference(b.scenarios, a.scenarios, vs);
  if (scenario) out.push({ ...where(s, `scenarios.${scenario.key}`), message: `${scenario.what}: ${FIX}` });
  const models = (m: Manifest) => Object.fromEntries(m.models.map((x) => [x.id, JSON.stringify(x)]));
  const model = firstDifference(models(b), models(a), vs);
  if (model) out.push({ ...where(s, `models.${model.key}`), message: `${model.what}: ${FIX}` });
  return out;
}

/** The first key whose presence or value differs between two maps, said from `mine`'s side. */
function firstDifference(mine: Record<string, string>, theirs: Record<string, string>, vs: string): { key: string; what: string } | null {
  for (const key of Object.keys(theirs)) {
    if (!(key in mine)) return { key, what: `missing here but present in ${vs}` };
    if (mine[key] !== theirs[key]) return { key, what: `is ${short(mine[key])} here but ${short(theirs[key])} in ${vs}` };
  }
  for (const key of Object.keys(mine)) if (!(key in theirs)) return { key, what: `present here but not in ${vs}` };
  return null;
}

/** Hashes are long: their first 12 characters tell them apart in a message. Model entries are shown whole. */
function short(v: unknown): string {
  if (typeof v === 'string' && /^[0-9a-f]{32,}$/.test(v)) return v.slice(0, 12);
  if (typeof v === 'string' && v.startsWith('{')) return v;
  return v === undefined ? 'unset' : JSON.stringify(v);
}

/** Every index 1..n given exactly once. */
function indexProblems(shards: readonly ShardRun[], count: number): Problem[] {
  const out: Problem[] = [];
  const byIndex = new Map<number, ShardRun[]>();
  for (const s of shards) byIndex.set(s.shard.index, [...(byIndex.get(s.shard.index) ?? []), s]);
  for (const [index, given] of byIndex) {
    if (given.length < 2) continue;
    out.push({
      ...where(given[1]!, 'shard.index'),
      message: `shard ${index}/${count} is given ${given.length} times (${given.map((g) => g.shown).join(', ')}): give each shard once`,
    });
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    const names = missing.map((i) => `${i}/${count}`).join(', ');
    out.push({
      file: 'SHARD_DIRS',
      message: `shard${missing.length > 1 ? 's' : ''} ${names} ${missing.length > 1 ? 'are' : 'is'} missing: give the run directory of every shard 1..${count} (run a missing one with: valuescope run --shard i/${count})`,
    });
  }
  return out;
}
