import { z } from 'zod';
import { effectiveLines } from '../../records/effective-records.js';
import { type Judgment, JudgmentSchema } from '../../records/judgment.js';
import { runFile } from '../../records/run-files.js';
import { NO_USAGE, type UsageLike } from '../../records/spend.js';
import { type Transcript, TranscriptSchema } from '../../records/transcript.js';
import type { Coverage } from '../../taxonomy/index.js';
import { readJsonl } from '../../util/jsonl.js';
import { entry } from '../../util/map-entry.js';
import { exists } from './prepared.js';

/**
 * Token counts as the APIs report them: `input` includes `cachedInput` (read from the provider's
 * prompt cache) and `cacheWrite` (written to it); `batched` is the part sent through a batch API.
 * The optional parts are present only when non-zero.
 */
export interface Tokens {
  input: number;
  output: number;
  cachedInput: number;
  cacheWrite?: number;
  batched?: Tokens;
}

/** One model's transcripts: cells by their effective line, tokens by every line (a duplicate answer was paid for too). */
export interface CellTally {
  cells: number;
  errored: number;
  errorKinds: Record<string, number>;
  /** Effective lines that took more than one attempt, and the attempts of every line. */
  retriedCells: number;
  attempts: number;
  /** Errored lines a later line replaced (run --retry-errors, resume). */
  reattempted: number;
  /** Answered cells whose answer was not requested for this run (response cache, run --reuse-from). */
  answered: number;
  reused: number;
  /** Tokens of answers requested for this run: what this run paid for. */
  tokens: Tokens;
  /** Tokens of reused answers: paid by the run that produced them. */
  reusedTokens: Tokens;
  /** "model\u0000fingerprint" -> answered cells, by effective line. */
  served: Record<string, number>;
  servedUnrecorded: number;
}

/** One model's judgments: cells by their effective line, usage by every line (re-attempts cost too), as judge-summary.json counts. */
export interface JudgeTally {
  cells: number;
  judged: number;
  noResponse: number;
  errors: number;
  /** Kinds of failed judgments; no_response (the cell had no answer to judge) is not a judge error. */
  errorKinds: Record<string, number>;
  judgeIds: string[];
  judgeHashes: string[];
  judgeModels: string[];
  tokens: Tokens;
  /** Judgment lines of an LLM judge that used no tokens: answered from the judge's cache, at no cost. */
  fromCache: number;
  coverage: { ai: Coverage; user: Coverage };
}

export const ZERO_TOKENS: Tokens = { input: 0, output: 0, cachedInput: 0 };

function addCounts(t: Tokens, u: UsageLike): Tokens {
  const write = (t.cacheWrite ?? 0) + (u.cacheWriteInputTokens ?? 0);
  return {
    input: t.input + u.inputTokens,
    output: t.output + u.outputTokens,
    cachedInput: t.cachedInput + (u.cachedInputTokens ?? 0),
    ...(write > 0 ? { cacheWrite: write } : {}),
  };
}

function addTokens(t: Tokens, u: UsageLike): Tokens {
  const sum = addCounts(t, u);
  if (!t.batched && !u.batched) return sum;
  return { ...sum, batched: addCounts(t.batched ?? ZERO_TOKENS, u.batched ?? NO_USAGE) };
}

/** Tokens as a usage record, for pricing (config/model-schema.ts priceUsage). */
export function usageOf(t: Tokens): UsageLike {
  const counts = (x: Tokens) => ({
    inputTokens: x.input,
    outputTokens: x.output,
    cachedInputTokens: x.cachedInput,
    cacheWriteInputTokens: x.cacheWrite,
  });
  return { ...counts(t), batched: t.batched ? counts(t.batched) : undefined };
}

const bump = (r: Record<string, number>, k: string): void => {
  r[k] = (r[k] ?? 0) + 1;
};

export function emptyCells(): CellTally {
  return {
    ...{ cells: 0, errored: 0, errorKinds: {}, retriedCells: 0, attempts: 0, reattempted: 0, answered: 0, reused: 0 },
    ...{ tokens: ZERO_TOKENS, reusedTokens: ZERO_TOKENS, served: {}, servedUnrecorded: 0 },
  };
}

function countCell(c: CellTally, t: Transcript): void {
  c.cells++;
  if (t.attempts > 1) c.retriedCells++;
  if (t.error) {
    c.errored++;
    bump(c.errorKinds, t.error.kind);
  }
  if (!t.response) return;
  c.answered++;
  if (t.cached) c.reused++;
  if (t.response.served) bump(c.served, `${t.response.served.model}\u0000${t.response.served.fingerprint ?? ''}`);
  else c.servedUnrecorded++;
}

/** What reading a run file met: a torn last line (a crash mid-append), lines that are not valid records. */
export interface ReadProblems {
  onTorn: (file: string, line: number) => void;
  onInvalid: (file: string, count: number, first: string) => void;
}

/** What the first pass needs of a line: which cell, and whether it failed (full validation is the second pass's). */
const CellLineSchema = z.object({ cellId: z.string(), error: z.unknown() });

/**
 * The first pass reads only each line's cell id and error (validating whole records twice cost as much
 * as the rest of the report on a 300,000-line run); the second validates fully and counts what it
 * skips, so one damaged line costs its own cell, not the whole section.
 */
async function effectiveOf(file: string, p: ReadProblems) {
  const out = await effectiveLines(file, CellLineSchema, { onTorn: (l) => p.onTorn(file, l), skipInvalid: () => undefined });
  let invalid = 0;
  let first = '';
  const rest = {
    skipInvalid: (e: { message: string }) => {
      if (invalid++ === 0) first = e.message;
    },
  };
  const done = () => {
    if (invalid > 0) p.onInvalid(file, invalid, first);
  };
  return { ...out, rest, done, present: await exists(file) };
}

/**
 * Per model, the transcripts of a run directory; null when it has no transcripts.jsonl. Two streaming
 * passes (records/effective-records.ts): memory is one line number per cell, never the transcripts.
 */
export async function tallyTranscripts(runDir: string, problems: ReadProblems): Promise<Map<string, CellTally> | null> {
  const file = runFile(runDir, 'transcripts');
  const { lines, present, rest, done } = await effectiveOf(file, problems);
  if (!present) return null;
  const out = new Map<string, CellTally>();
  for await (const { value: t, line } of readJsonl(file, TranscriptSchema, rest)) {
    const c = entry(out, t.modelId, emptyCells);
    c.attempts += t.attempts;
    if (t.response) {
      if (t.cached) c.reusedTokens = addTokens(c.reusedTokens, t.response.usage);
      else c.tokens = addTokens(c.tokens, t.response.usage);
    }
    if (lines.get(t.cellId) === line) countCell(c, t);
    else if (t.error) c.reattempted++;
  }
  done();
  return out;
}

function emptyJudge(): JudgeTally {
  const cov = (): Coverage => ({ total: 0, exact: 0, lexical: 0, judge: 0, unmapped: 0, share: 1 });
  return {
    ...{ cells: 0, judged: 0, noResponse: 0, errors: 0, errorKinds: {}, judgeIds: [], judgeHashes: [], judgeModels: [] },
    ...{ tokens: ZERO_TOKENS, fromCache: 0, coverage: { ai: cov(), user: cov() } },
  };
}

const addOnce = (list: string[], items: readonly string[]): void => {
  for (const x of items) if (!list.includes(x)) list.push(x);
};

function countJudgment(j: JudgeTally, x: Judgment): void {
  j.cells++;
  addOnce(j.judgeIds, [x.judgeId]);
  addOnce(j.judgeHashes, [x.judgeHash]);
  addOnce(j.judgeModels, x.judgeModels);
  if (x.error?.kind === 'no_response') j.noResponse++;
  else if (x.error) {
    j.errors++;
    bump(j.errorKinds, x.error.kind);
  } else j.judged++;
  // The same tally the judge stage prints as "mapping coverage" (stages/judge/judge-summary.ts), which this layer cannot import.
  for (const [c, values] of [
    [j.coverage.ai, x.aiValues],
    [j.coverage.user, x.humanValues],
  ] as const) {
    for (const v of values) {
      c[v.taxonomy.method]++;
      c.total++;
    }
  }
}

/** Per model, the judgments of a run directory; null when it has no judgments.jsonl. */
export async function tallyJudgments(runDir: string, problems: ReadProblems): Promise<Map<string, JudgeTally> | null> {
  const file = runFile(runDir, 'judgments');
  const { lines, present, rest, done } = await effectiveOf(file, problems);
  if (!present) return null;
  const out = new Map<string, JudgeTally>();
  for await (const { value: x, line } of readJsonl(file, JudgmentSchema, rest)) {
    const j = entry(out, x.modelId, emptyJudge);
    j.tokens = addTokens(j.tokens, x.usage);
    const called = x.judgeModels.some((m) => !m.startsWith('builtin:'));
    if (called && x.error === null && x.usage.inputTokens + x.usage.outputTokens === 0) j.fromCache++;
    if (lines.get(x.cellId) === line) countJudgment(j, x);
  }
  done();
  for (const j of out.values()) for (const c of Object.values(j.coverage)) c.share = c.total === 0 ? 1 : (c.total - c.unmapped) / c.total;
  return out;
}
