import { ComparabilityError } from '../../core/errors.js';
import { JudgmentSchema } from '../../records/judgment.js';
import { runFile } from '../../records/run-files.js';
import { readJsonl } from '../../util/jsonl.js';
import type { ShardRun } from './merge-check.js';
import { shardLabel } from './shard.js';

/** Whether the shards' judgments join the merged run, and why not when they do not. */
export type JudgmentsMerge = { merge: true; judgeId: string } | { merge: false; why: string };

/** judgeHash -> judgeId of the judgments in one shard. */
async function judgesOf(s: ShardRun): Promise<Map<string, string>> {
  const judges = new Map<string, string>();
  for await (const { value } of readJsonl(runFile(s.dir, 'judgments'), JudgmentSchema)) judges.set(value.judgeHash, value.judgeId);
  return judges;
}

/**
 * The judgments are merged when every shard that has any was judged by one and the same judge (its
 * hash: definition, rubric and model). Shards judged in part or not at all are fine: `valuescope
 * judge` on the merged run judges the cells left. Judgments of different judges are never mixed,
 * so shards judged by different judges are refused, unless `transcriptsOnly` merges the answers alone.
 */
export async function judgmentsToMerge(shards: readonly ShardRun[], o: { transcriptsOnly: boolean }): Promise<JudgmentsMerge> {
  if (o.transcriptsOnly) return { merge: false, why: 'judgments not merged (--transcripts-only)' };
  const byShard = await Promise.all(shards.map(async (s) => ({ s, judges: await judgesOf(s) })));
  const all = new Map<string, string>();
  for (const { judges } of byShard) for (const [hash, id] of judges) all.set(hash, id);
  if (all.size === 0) return { merge: false, why: 'no shard holds judgments' };
  if (all.size === 1) return { merge: true, judgeId: [...all.values()][0]! };
  const who = byShard
    .filter(({ judges }) => judges.size > 0)
    .map(
      ({ s, judges }) =>
        `shard ${shardLabel(s.shard)} (${s.shown}): ${[...judges].map(([h, id]) => `${id} (hash ${h.slice(0, 12)})`).join(' and ')}`,
    );
  throw new ComparabilityError(
    `the shards were judged by different judges, and judgments of different judges are never mixed:\n  ${who.join('\n  ')}\n` +
      'Re-judge the odd shards with the judge of the others (valuescope judge SHARD_DIR --force), or pass --transcripts-only ' +
      'to merge the answers alone and judge the merged run with valuescope judge (nothing was written)',
  );
}
