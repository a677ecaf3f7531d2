import { isAbortedCall, JudgeOutputError, JudgingInterrupted, ProviderError } from '../../core/errors.js';
import type { Usage } from '../../providers/language-model.js';
import type { Transcript } from '../../records/transcript.js';
import type { RaterAnswer } from './consensus.js';
import type { Judge, JudgeCallOptions } from './judge.js';
import { ZERO_USAGE } from './llm/usage.js';
import type { JudgePanel } from './panel.js';

/** A rater's answer plus what the judgments line needs from it: spend, and the failure's kind and raw output. */
export type RaterOutcome = RaterAnswer & { usage: Usage; raw?: string; kind?: string };

/**
 * Asks every rater of the panel (judges x samples) at once, in panel order. A failed call becomes
 * an answer carrying its error; only an interruption rejects.
 */
export function askRaters(panel: JudgePanel, t: Transcript, signal?: AbortSignal, round = 0): Promise<RaterOutcome[]> {
  const calls: Promise<RaterOutcome>[] = [];
  for (const judge of panel.judges) {
    // A deterministic built-in judge would only repeat itself.
    const samples = judge.models.every((m) => m.startsWith('builtin:')) ? 1 : panel.samples;
    for (let sample = 0; sample < samples; sample++) calls.push(askRater(judge, t, { sample, round, ...(signal ? { signal } : {}) }));
  }
  return Promise.all(calls);
}

function askRater(judge: Judge, t: Transcript, options: JudgeCallOptions): Promise<RaterOutcome> {
  const { sample, signal } = options;
  return judge.judge(t, options).then(
    (r) => ({ judge: judge.id, sample, judgment: r.judgment, usage: r.usage }),
    (e: unknown) => {
      if (signal?.aborted || isAbortedCall(e)) throw new JudgingInterrupted('interrupted');
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
  );
}

function describeFailure(e: unknown): { kind: string; message: string; raw?: string } {
  if (e instanceof JudgeOutputError) return { kind: 'judge_output', message: e.message, raw: e.raw.slice(0, 4000) };
  if (e instanceof ProviderError) return { kind: `provider_${e.kind}`, message: e.message };
  return { kind: 'internal', message: (e as Error)?.message ?? String(e) };
}
