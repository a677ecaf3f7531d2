import { usd as formatUsd } from '../../calls/budget.js';
import { pricer } from '../../config/model-schema.js';
import type { Config } from '../../config/schema.js';
import { effectiveLines } from '../../records/effective-records.js';
import { JudgmentSchema } from '../../records/judgment.js';
import { runFile } from '../../records/run-files.js';
import {
  addUsage,
  NO_USAGE,
  priceSpend,
  type Spend,
  spendTotals,
  splitText,
  tallyJudgeSpend,
  type UsageRecord,
} from '../../records/spend.js';
import type { Coverage } from '../../taxonomy/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { readJsonl } from '../../util/jsonl.js';
import { ReliabilityAccumulator, type ReliabilitySummary } from './reliability.js';
import { emptyCoverage } from './value-mapper.js';

/** judge-summary.json: what a report needs to state about the judge, recomputed from judgments.jsonl. */
export interface JudgeSummary {
  v: 1;
  judgeId: string | null;
  judgeHash: string | null;
  judgeModels: string[];
  cells: number;
  judged: number;
  noResponse: number;
  errors: number;
  /** Error kinds of failed judgments (no_response excluded). */
  errorKinds: Record<string, number>;
  /** Every judge attempt's usage, re-attempts included. */
  usage: UsageRecord;
  coverage: { ai: Coverage; human: Coverage; all: Coverage };
  reliability: ReliabilitySummary;
  /**
   * Requests, reused calls, usage and USD per judge model at the config's prices (absent in
   * summaries written before spend was recorded, and until the command that judged prices it).
   */
  spend?: Pick<Spend, 'judge' | 'pricedWithConfigHash'>;
}

/** Streams judgments.jsonl twice (effective lines, then tallies); memory: one entry per cell plus the per-label agreement tallies. */
export async function summarizeJudgments(file: string): Promise<JudgeSummary> {
  const s: JudgeSummary = {
    v: 1,
    judgeId: null,
    judgeHash: null,
    judgeModels: [],
    cells: 0,
    judged: 0,
    noResponse: 0,
    errors: 0,
    errorKinds: {},
    usage: NO_USAGE,
    coverage: { ai: emptyCoverage(), human: emptyCoverage(), all: emptyCoverage() },
    reliability: new ReliabilityAccumulator().summary(),
  };
  const reliability = new ReliabilityAccumulator();
  // Usage counts every attempt (re-attempts cost too); everything else each cell's effective judgment.
  const { lines } = await effectiveLines(file, JudgmentSchema);
  for await (const { value: j, line } of readJsonl(file, JudgmentSchema)) {
    s.usage = addUsage(s.usage, j.usage);
    if (lines.get(j.cellId) !== line) continue;
    s.judgeId = j.judgeId;
    s.judgeHash = j.judgeHash;
    s.judgeModels = j.judgeModels;
    s.cells++;
    if (j.error?.kind === 'no_response') s.noResponse++;
    else if (j.error) {
      s.errors++;
      s.errorKinds[j.error.kind] = (s.errorKinds[j.error.kind] ?? 0) + 1;
    } else s.judged++;
    if (j.raters.length > 1) reliability.add(j.raters);
    for (const [kind, values] of [
      ['ai', j.aiValues],
      ['human', j.humanValues],
    ] as const) {
      for (const v of values) {
        for (const c of [s.coverage[kind], s.coverage.all]) {
          c[v.taxonomy.method]++;
          c.total++;
        }
      }
    }
  }
  for (const c of Object.values(s.coverage)) c.share = c.total === 0 ? 1 : (c.total - c.unmapped) / c.total;
  s.reliability = reliability.summary();
  return s;
}

/**
 * Adds the judge's spend at the config's prices (records/spend.ts, from every line of
 * judgments.jsonl) and writes judge-summary.json with it. `configHash` names the config that priced it.
 */
export async function writeJudgeSpend(
  runDir: string,
  summary: JudgeSummary,
  pricing: { prices: Config['prices']; configHash: string },
): Promise<JudgeSummary> {
  const { judge, pricedWithConfigHash } = priceSpend(
    { models: new Map(), judge: await tallyJudgeSpend(runDir) },
    pricer(pricing.prices),
    pricing.configHash,
  );
  const priced = { ...summary, spend: { judge, pricedWithConfigHash } };
  await writeJudgeSummary(runDir, priced);
  return priced;
}

export async function writeJudgeSummary(runDir: string, summary: JudgeSummary): Promise<string> {
  const file = runFile(runDir, 'judgeSummary');
  await writeFileAtomic(file, `${JSON.stringify(summary, null, 2)}\n`);
  return file;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const num = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(3));

/** The lines printed at the end of judging. */
export function formatJudgeSummary(s: JudgeSummary): string {
  const c = s.coverage.all;
  const lines = [
    `judge ${s.judgeId ?? '(none)'} [${s.judgeModels.join(', ')}]: ${s.judged} judged, ${s.noResponse} without response, ${s.errors} judge errors of ${s.cells} cells`,
    `mapping coverage: ${pct(c.share)} of ${c.total} values mapped (exact ${c.exact}, lexical ${c.lexical}, judge ${c.judge}, unmapped ${c.unmapped}); ` +
      `ai ${pct(s.coverage.ai.share)}, human ${pct(s.coverage.human.share)}`,
    spendLine(s),
  ];
  if (s.errors > 0)
    lines.push(
      `judge errors by kind: ${Object.entries(s.errorKinds)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
  const r = s.reliability;
  if (r.raters > 1) {
    lines.push(
      `agreement over ${r.cells} cells x ${r.raters} raters: response type alpha ${num(r.responseTypeAlpha)}, refusal alpha ${num(r.refusalAlpha)}, ` +
        `ai values Jaccard ${num(r.aiValuesJaccard)}, human values Jaccard ${num(r.humanValuesJaccard)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** "judge tokens: 1200 in (plain 200, cache read 1000), 300 out; cost $0.0042 at the config's prices; 3 cells judged from the judge cache ($0)". */
function spendLine(s: JudgeSummary): string {
  const split = splitText(s.usage);
  const tokens = `judge tokens: ${s.usage.inputTokens} in${split ? ` (${split})` : ''}, ${s.usage.outputTokens} out`;
  if (!s.spend) return tokens;
  const lines = Object.entries(s.spend.judge);
  const usd = spendTotals({ models: {}, judge: s.spend.judge }).judge;
  // A panel of several models is one key joined with '+': judgments record one usage per cell, not per model.
  const unpriced = lines
    .filter(([, l]) => l.costUsd === null)
    .map(([k]) => (k.includes('+') ? `${k} (a panel: usage not recorded per model)` : k));
  const cost = usd !== null ? `cost ${formatUsd(usd)} at the config's prices` : `cost unknown: no price for ${unpriced.join(', ')}`;
  const reused = lines.reduce((a, [, l]) => a + l.reused, 0);
  return `${tokens}; ${cost}${reused > 0 ? `; ${reused} cells judged from the judge cache ($0)` : ''}`;
}
