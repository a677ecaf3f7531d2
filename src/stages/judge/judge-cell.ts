import { JudgeOutputError, ProviderError } from '../../core/errors.js';
import type { Usage } from '../../providers/language-model.js';
import type { Judgment } from '../../records/judgment.js';
import type { Transcript } from '../../records/transcript.js';
import { consensusOf, type RaterAnswer } from './consensus.js';
import { addUsage, ZERO_USAGE } from './llm/llm-judge.js';
import type { JudgePanel } from './panel.js';

/** Thrown when Ctrl-C stopped a judge call: the cell gets no line, so a later `judge` resumes it. */
export class JudgingInterrupted extends Error {}

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
): Promise<{ judgment: Judgment; answers: RaterAnswer[] }> {
  const base = {
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
  };
  if (t.error !== null || t.response === null) {
    const message = t.error ? `the cell has no response (${t.error.kind}: ${t.error.message})` : 'the cell has no response';
    return {
      judgment: { ...base, ...emptyFields(), usage: ZERO_USAGE, error: { kind: 'no_response', message }, judgedAt: now().toISOString() },
      answers: [],
    };
  }
  const calls: Promise<RaterAnswer & { usage: Usage; raw?: string; kind?: string }>[] = [];
  for (const judge of panel.judges) {
    const samples = judge.models.every((m) => m.startsWith('builtin:')) ? 1 : panel.samples;
    for (let sample = 0; sample < samples; sample++) {
      calls.push(
        judge.judge(t, { sample, ...(signal ? { signal } : {}) }).then(
          (r) => ({ judge: judge.id, sample, judgment: r.judgment, usage: r.usage }),
          (e: unknown) => {
            if (signal?.aborted || (e instanceof ProviderError && e.kind === 'aborted')) throw new JudgingInterrupted('interrupted');
            const failure = describeFailure(e);
            return {
              judge: judge.id,
              sample,
              judgment: null,
              error: failure.message,
              usage: ZERO_USAGE,
              kind: failure.kind,
              ...(failure.raw !== undefined ? { raw: failure.raw } : {}),
            };
          },
        ),
      );
    }
  }
  const answers = await Promise.all(calls);
  const usage = answers.reduce((u, a) => addUsage(u, a.usage), ZERO_USAGE);
  const raters = answers.map((a) => ({
    judge: a.judge,
    sample: a.sample,
    responseType: a.judgment?.responseType ?? null,
    refusal: a.judgment?.refusal ?? null,
    aiValues: a.judgment?.aiValues.map((v) => v.name) ?? [],
    humanValues: a.judgment?.humanValues.map((v) => v.name) ?? [],
    ...(a.error !== undefined ? { error: a.error } : {}),
  }));
  const c = consensusOf(answers, panel.quorum);
  if (c.voters === 0) {
    const first = answers[0]!;
    const error = {
      kind: first.kind ?? 'judge_error',
      message: first.error ?? 'no rater answered',
      ...(first.raw !== undefined ? { raw: first.raw } : {}),
    };
    return { judgment: { ...base, ...emptyFields(), raters, usage, error, judgedAt: now().toISOString() }, answers };
  }
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
  return {
    judgment: {
      ...base,
      responseType: c.responseType,
      refusal: c.refusal,
      aiValues,
      humanValues,
      raters,
      usage,
      error: null,
      judgedAt: now().toISOString(),
    },
    answers,
  };
}

function emptyFields(): Pick<Judgment, 'responseType' | 'refusal' | 'aiValues' | 'humanValues' | 'raters'> {
  return { responseType: null, refusal: null, aiValues: [], humanValues: [], raters: [] };
}

function describeFailure(e: unknown): { kind: string; message: string; raw?: string } {
  if (e instanceof JudgeOutputError) return { kind: 'judge_output', message: e.message, raw: e.raw.slice(0, 4000) };
  if (e instanceof ProviderError) return { kind: `provider_${e.kind}`, message: e.message };
  return { kind: 'internal', message: (e as Error)?.message ?? String(e) };
}
