import type { Refusal, ResponseType } from '../../records/response-types.js';
import type { RawJudgment } from './judge.js';

/** One rater's answer (a judge x sample); `judgment` is null when that call failed. */
export interface RaterAnswer {
  judge: string;
  sample: number;
  judgment: RawJudgment | null;
  error?: string;
}

export interface Consensus {
  responseType: ResponseType | null;
  refusal: Refusal | null;
  aiValues: { name: string; evidence?: string; explicit?: boolean; votes: number }[];
  humanValues: { name: string; votes: number }[];
  /** Raters that produced a judgment. */
  voters: number;
}

/**
 * Plurality vote. Tie-break (documented in docs/judge.md): among the tied labels, the one given by
 * the earliest rater in panel order (first judge in `judge.judges`, sample 0 first) wins, so a
 * single-judge panel always agrees with itself and ties never depend on hash or map order.
 */
export function majority<T extends string>(labels: readonly T[]): T | null {
  const counts = new Map<T, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  let best: T | null = null;
  let bestCount = 0;
  for (const l of labels) {
    const c = counts.get(l)!;
    if (c > bestCount) {
      best = l;
      bestCount = c;
    }
  }
  return best;
}

/**
 * Consensus of all raters that answered. A value is kept when at least `quorum` of those raters
 * name it (after name normalisation); its evidence comes from the earliest rater that named it.
 */
export function consensusOf(answers: readonly RaterAnswer[], quorum: number): Consensus {
  const ok = answers.map((a) => a.judgment).filter((j): j is RawJudgment => j !== null);
  if (ok.length === 0) return { responseType: null, refusal: null, aiValues: [], humanValues: [], voters: 0 };
  const need = quorum * ok.length - 1e-9;
  const ai = new Map<string, { name: string; evidence?: string; explicit?: boolean; votes: number }>();
  const human = new Map<string, { name: string; votes: number }>();
  for (const j of ok) {
    for (const v of new Map(j.aiValues.map((x) => [x.name, x])).values()) {
      const cur = ai.get(v.name);
      if (cur) cur.votes++;
      else
        ai.set(v.name, {
          name: v.name,
          ...(v.evidence !== undefined ? { evidence: v.evidence } : {}),
          ...(v.explicit !== undefined ? { explicit: v.explicit } : {}),
          votes: 1,
        });
    }
    for (const name of new Set(j.humanValues.map((x) => x.name))) {
      const cur = human.get(name);
      if (cur) cur.votes++;
      else human.set(name, { name, votes: 1 });
    }
  }
  const keep = <V extends { votes: number }>(m: Map<string, V>): V[] =>
    [...m.values()].filter((v) => v.votes >= need).sort((a, b) => b.votes - a.votes);
  return {
    responseType: majority(ok.map((j) => j.responseType)),
    refusal: majority(ok.map((j) => j.refusal)),
    aiValues: keep(ai),
    humanValues: keep(human),
    voters: ok.length,
  };
}
