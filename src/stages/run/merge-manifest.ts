import type { Manifest } from '../../records/manifest.js';
import { runFile } from '../../records/run-files.js';
import { newRunId } from '../../records/run-store.js';
import type { Spend, SpendLine } from '../../records/spend.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { sha256 } from '../../util/hash.js';
import type { ShardRun } from './merge-check.js';
import { isShardNote, shardLabel } from './shard.js';

/**
 * The manifest of the merged run: the shards' plan (checked equal) without `shard`, the earliest
 * start and the latest finish, the counts of the merged files, the summed spend, and notes saying
 * which shards it was merged from. Its run id is derived from the shards' ids, so merging the same
 * shards again gives the same id.
 */
export function mergedManifest(
  shards: readonly ShardRun[],
  counts: { planned: number; done: number; errored: number },
  now: () => Date,
): Manifest {
  const ref = shards[0]!.manifest;
  const started = shards.map((s) => s.manifest.startedAt).sort()[0]!;
  const finished = shards.map((s) => s.manifest.finishedAt ?? s.manifest.startedAt).sort();
  const errors = counts.errored > 0 || shards.some((s) => s.manifest.status === 'completed_with_errors');
  const modes = new Set(shards.map((s) => s.manifest.mode ?? 'sync'));
  const spend = mergedSpend(shards);
  return {
    v: 1,
    runId: mergedRunId(shards, started, now),
    status: errors ? 'completed_with_errors' : 'completed',
    startedAt: started,
    finishedAt: finished[finished.length - 1]!,
    harnessVersion: ref.harnessVersion,
    configHash: ref.configHash,
    ...(ref.configFile !== undefined ? { configFile: ref.configFile } : {}),
    suiteHash: ref.suiteHash,
    ...(ref.suitePaths !== undefined ? { suitePaths: ref.suitePaths } : {}),
    scenarios: ref.scenarios,
    samples: ref.samples,
    models: ref.models,
    ...(modes.size === 1 && ref.mode !== undefined ? { mode: ref.mode } : {}),
    ...(spend.spend ? { spend: spend.spend } : {}),
    counts,
    notes: [...mergedNotes(shards), ...spend.notes],
  };
}

export async function writeMergedManifest(out: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(runFile(out, 'manifest'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** The usual id (start second + 4 hex digits), with the digits taken from a hash of the shards' ids. */
function mergedRunId(shards: readonly ShardRun[], started: string, now: () => Date): string {
  const hash = sha256(shards.map((s) => s.manifest.runId).join('\n'));
  const at = new Date(started);
  return newRunId(Number.isNaN(at.getTime()) ? now() : at, () => Number.parseInt(hash.slice(0, 8), 16) / 2 ** 32);
}

/**
 * Where the run came from, then the shards' own notes once each: a note every shard has as it is,
 * one only some have prefixed with those shards. The shards' "shard i/n of the plan" notes are dropped.
 */
function mergedNotes(shards: readonly ShardRun[]): string[] {
  const from = `merged from ${shards.length} shards: ${shards.map((s) => `${shardLabel(s.shard)} (run ${s.manifest.runId})`).join(', ')}`;
  const where = new Map<string, string[]>();
  for (const s of shards) {
    for (const note of new Set(s.manifest.notes)) {
      if (isShardNote(note)) continue;
      where.set(note, [...(where.get(note) ?? []), shardLabel(s.shard)]);
    }
  }
  const kept = [...where].map(([note, labels]) =>
    labels.length === shards.length ? note : `shard${labels.length > 1 ? 's' : ''} ${labels.join(', ')}: ${note}`,
  );
  const versions = new Set(shards.map((s) => s.manifest.harnessVersion));
  const modes = new Set(shards.map((s) => s.manifest.mode ?? 'sync'));
  return [
    from,
    ...kept,
    ...(versions.size > 1 ? [`the shards ran different valuescope versions: ${perShard(shards, (m) => m.harnessVersion)}`] : []),
    ...(modes.size > 1 ? [`the shards ran in different modes: ${perShard(shards, (m) => m.mode ?? 'sync')}`] : []),
  ];
}

function perShard(shards: readonly ShardRun[], of: (m: Manifest) => string): string {
  return shards.map((s) => `${shardLabel(s.shard)} ${of(s.manifest)}`).join(', ');
}

/** The shards' spend summed per model and judge; none when a shard did not record it (a partial sum would understate). */
function mergedSpend(shards: readonly ShardRun[]): { spend?: Spend; notes: string[] } {
  const without = shards.filter((s) => s.manifest.spend === undefined);
  if (without.length === shards.length) return { notes: [] };
  if (without.length > 0) {
    const labels = without.map((s) => shardLabel(s.shard)).join(', ');
    return {
      notes: [`spend not recorded: shard${without.length > 1 ? 's' : ''} ${labels} recorded none, so the merged run records no sum`],
    };
  }
  const spend: Spend = { models: {}, judge: {}, pricedWithConfigHash: shards[0]!.manifest.spend!.pricedWithConfigHash };
  for (const s of shards) {
    const { models, judge } = s.manifest.spend!;
    for (const [key, line] of Object.entries(models)) spend.models[key] = addLine(spend.models[key], line);
    for (const [key, line] of Object.entries(judge)) spend.judge[key] = addLine(spend.judge[key], line);
  }
  return { spend, notes: [] };
}

type Usage = SpendLine['usage'];
type Tokens = Omit<Usage, 'batched'>;

function addLine(a: SpendLine | undefined, b: SpendLine): SpendLine {
  if (!a) return b;
  return {
    requests: a.requests + b.requests,
    reused: a.reused + b.reused,
    usage: addUsage(a.usage, b.usage),
    // Same config, same prices: a model is unpriced in every shard or in none.
    costUsd: a.costUsd === null || b.costUsd === null ? null : a.costUsd + b.costUsd,
  };
}

function addTokens(a: Tokens, b: Tokens): Tokens {
  const writes = a.cacheWriteInputTokens !== undefined || b.cacheWriteInputTokens !== undefined;
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    ...(writes ? { cacheWriteInputTokens: (a.cacheWriteInputTokens ?? 0) + (b.cacheWriteInputTokens ?? 0) } : {}),
  };
}

function addUsage(a: Usage, b: Usage): Usage {
  const zero: Tokens = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
  const batched = a.batched !== undefined || b.batched !== undefined ? addTokens(a.batched ?? zero, b.batched ?? zero) : undefined;
  return { ...addTokens(a, b), ...(batched ? { batched } : {}) };
}
