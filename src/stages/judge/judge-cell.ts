import type { Judgment } from '../../records/judgment.js';
import { servedModelOf, type Transcript } from '../../records/transcript.js';
import { type Consensus, consensusOf, type RaterAnswer } from './consensus.js';
import { addUsage, ZERO_USAGE } from './llm/usage.js';
import type { JudgePanel } from './panel.js';
import { askRaters, type RaterOutcome } from './rater-calls.js';

/** The judgments line fields that come from the transcript and the panel, whatever the outcome. */
type LineBase = Pick<
  Judgment,
  | 'v'
  | 'cellId'
  | 'modelId'
  | 'scenarioId'
  | 'domain'
  | 'sample'
  | 'judgeId'
  | 'judgeHash'
  | 'judgeModels'
  | 'userValues'
  | 'expect'
  | 'tags'
  | 'cached'
  | 'cachedFrom'
  | 'served'
>;

/**
 * Judges one transcript with every rater of the panel (judges x samples), forms the consensus,
 * maps its values onto the taxonomy and returns the judgments.jsonl line. Errors never throw
 * (except an interruption): a failed rater is recorded in `raters`, and when no rater answered
 * the line carries the error.
 */
export async function judgeTranscript(
  panel: JudgePanel,
  t: Transcript,
  now: () => Date,
  signal?: AbortSignal,
  /** Failed judgments this cell already has (judge.ts JudgeCallOptions.round). */
  round = 0,
): Promise<{ judgment: Judgment; answers: RaterAnswer[] }> {
  const base = lineBase(panel, t);
  if (t.error !== null || t.response === null) {
    const message = t.error ? `the cell has no response (${t.error.kind}: ${t.error.message})` : 'the cell has no response';
    return {
      judgment: { ...base, ...emptyFields(), usage: ZERO_USAGE, error: { kind: 'no_response', message }, judgedAt: now().toISOString() },
      answers: [],
    };
  }
  const answers = await askRaters(panel, t, signal, round);
  const usage = answers.reduce((u, a) => addUsage(u, a.usage), ZERO_USAGE);
  const raters = answers.map(raterSummary);
  const c = consensusOf(answers, panel.quorum);
  if (c.voters === 0) {
    const error = noVoterError(answers);
    return { judgment: { ...base, ...emptyFields(), raters, usage, error, judgedAt: now().toISOString() }, answers };
  }
  const { aiValues, humanValues } = await mapConsensusValues(panel, c);
  const judgment: Judgment = {
    ...base,
    responseType: c.responseType,
    refusal: c.refusal,
    aiValues,
    humanValues,
    raters,
    usage,
    error: null,
    judgedAt: now().toISOString(),
  };
  return { judgment, answers };
}

function lineBase(panel: JudgePanel, t: Transcript): LineBase {
  return {
    v: 1 as const,
    cellId: t.cellId,
    modelId: t.modelId,
    scenarioId: t.scenarioId,
    domain: t.domain,
    sample: t.sample,
    judgeId: panel.id,
    judgeHash: panel.hash,
    judgeModels: panel.models,
    userValues: t.userValues,
    ...(t.expect !== undefined ? { expect: t.expect } : {}),
    tags: t.tags,
    // The answer's provenance travels with the judgment, so profiles and gates can see it.
    cached: t.cached,
    ...(t.cached && t.cachedFrom !== undefined ? { cachedFrom: t.cachedFrom } : {}),
    // So is which model answered, so profiles and gates can see a model swapped behind a name.
    ...(t.response?.served !== undefined ? { served: servedModelOf(t.response.served) } : {}),
  };
}

function raterSummary(a: RaterOutcome): Judgment['raters'][number] {
  return {
    judge: a.judge,
    sample: a.sample,
    responseType: a.judgment?.responseType ?? null,
    refusal: a.judgment?.refusal ?? null,
    aiValues: a.judgment?.aiValues.map((v) => v.name) ?? [],
    humanValues: a.judgment?.humanValues.map((v) => v.name) ?? [],
    ...(a.error !== undefined ? { error: a.error } : {}),
  };
}

/** With no voter every rater failed; the first failure stands for the cell. */
function noVoterError(answers: RaterOutcome[]): NonNullable<Judgment['error']> {
  const first = answers[0]!;
  return {
    kind: first.kind ?? 'judge_error',
    message: first.error ?? 'no rater answered',
    ...(first.raw !== undefined ? { raw: first.raw } : {}),
  };
}

async function mapConsensusValues(panel: JudgePanel, c: Consensus): Promise<Pick<Judgment, 'aiValues' | 'humanValues'>> {
  const aiValues = await Promise.all(
    c.aiValues.map(async (v) => ({
      name: v.name,
      ...(v.evidence !== undefined ? { evidence: v.evidence } : {}),
      ...(v.explicit !== undefined ? { explicit: v.explicit } : {}),
      taxonomy: await panel.mapper.map(v.name, 'ai'),
    })),
  );
  const humanValues = await Promise.all(
    c.humanValues.map(async (v) => ({ name: v.name, taxonomy: await panel.mapper.map(v.name, 'human') })),
  );
  return { aiValues, humanValues };
}

function emptyFields(): Pick<Judgment, 'responseType' | 'refusal' | 'aiValues' | 'humanValues' | 'raters'> {
  return { responseType: null, refusal: null, aiValues: [], humanValues: [], raters: [] };
}
