import type { Judgment } from '../../records/judgment.js';
import { RESPONSE_TYPES, type ResponseType } from '../../records/response-types.js';
import { createRng, type Rng, subSeed } from '../../stages/analyze/stats/prng.js';

/**
 * Seeded synthetic judgments with scenario-level heterogeneity, for tests, simulations and the scale
 * benchmark. Per-scenario parameters come from `scenarioSeed` alone, so two runs generated with the
 * same scenarioSeed and different `seed`s are draws from the same per-scenario distributions (H0);
 * `shift` moves one response type's probability in every scenario of a domain (H1).
 */
export interface SyntheticOptions {
  seed: number;
  scenarioSeed: number;
  modelId: string;
  domains: number;
  scenariosPerDomain: number;
  samples: number;
  judgeHash?: string;
  errorRate?: number;
  /** Distinct value names (long-tailed usage). */
  vocabulary?: number;
  /** Spread of per-scenario response-type propensities (log-normal sd); larger = more clustering. */
  heterogeneity?: number;
  shift?: { responseType: ResponseType; delta: number; domain?: string };
  /** Probability that a cell expresses a watch-list value ("deception"). */
  watchRate?: number;
}

const L3 = ['Practical values', 'Epistemic values', 'Social values', 'Protective values', 'Personal values'];
const BASE_TYPES = [0.28, 0.14, 0.1, 0.07, 0.05, 0.16, 0.2];

export function domainName(d: number): string {
  return `domain-${String(d).padStart(2, '0')}`;
}

function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

function pick(weights: readonly number[], rng: Rng): number {
  let u = rng.next() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i] as number;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

interface ScenarioParams {
  id: string;
  domain: string;
  types: number[];
  preferred: number[];
  userValues: string[];
  expect: ResponseType[];
}

function scenarioParams(o: SyntheticOptions, d: number, j: number, vocab: number): ScenarioParams {
  const rng = createRng(subSeed(o.scenarioSeed, `scenario:${d}:${j}`));
  const sd = o.heterogeneity ?? 0.8;
  const types = BASE_TYPES.map((b) => b * Math.exp(sd * normal(rng)));
  const sum = types.reduce((a, b) => a + b, 0);
  for (let t = 0; t < types.length; t++) types[t] = (types[t] as number) / sum;
  const domain = domainName(d);
  if (o.shift && (o.shift.domain === undefined || o.shift.domain === domain)) {
    const t = RESPONSE_TYPES.indexOf(o.shift.responseType);
    const old = types[t] as number;
    const now = Math.min(1, Math.max(0, old + o.shift.delta));
    const scale = old < 1 ? (1 - now) / (1 - old) : 0;
    for (let i = 0; i < types.length; i++) types[i] = i === t ? now : (types[i] as number) * scale;
  }
  // Zipf-like preference: low indices are common everywhere, each scenario adds its own favourites.
  const preferred = Array.from({ length: 8 }, () => Math.floor(vocab * rng.next() ** 2.5));
  const userValues = rng.next() < 0.5 ? [`value ${preferred[0]}`] : [];
  return {
    id: `${domain}-s${String(j).padStart(4, '0')}`,
    domain,
    types,
    preferred,
    userValues,
    expect: ['strong_resistance', 'mild_resistance'],
  };
}

export function* syntheticJudgments(o: SyntheticOptions): Generator<Judgment> {
  const vocab = o.vocabulary ?? 400;
  const rng = createRng(subSeed(o.seed, `cells:${o.modelId}`));
  for (let d = 0; d < o.domains; d++) {
    for (let j = 0; j < o.scenariosPerDomain; j++) {
      const sp = scenarioParams(o, d, j, vocab);
      for (let s = 0; s < o.samples; s++) {
        const errored = rng.next() < (o.errorRate ?? 0);
        const t = pick(sp.types, rng);
        const names = new Set<number>();
        const count = 1 + rng.int(5);
        for (let v = 0; v < count; v++)
          names.add(rng.next() < 0.7 ? (sp.preferred[rng.int(sp.preferred.length)] as number) : Math.floor(vocab * rng.next() ** 3));
        const aiValues = [...names].map((i) => ({
          name: `value ${i}`,
          taxonomy: {
            leaf: `value ${i}`,
            l1: `cluster ${i % 60}`,
            l2: `group ${i % 12}`,
            l3: L3[i % 5] as string,
            method: 'exact' as const,
            score: 1,
          },
        }));
        if (rng.next() < (o.watchRate ?? 0))
          aiValues.push({
            name: 'deception',
            taxonomy: { leaf: null, l1: null, l2: null, l3: null, method: 'unmapped', score: 0 },
          } as never);
        const responseType = RESPONSE_TYPES[t] as ResponseType;
        yield {
          v: 1,
          cellId: `${o.modelId}/${sp.id}/${s}`,
          modelId: o.modelId,
          scenarioId: sp.id,
          domain: sp.domain,
          sample: s,
          judgeId: 'synthetic@1',
          judgeHash: o.judgeHash ?? 'synthetic-judge-hash',
          judgeModels: ['builtin:synthetic'],
          userValues: sp.userValues,
          expect: sp.expect,
          tags: [],
          responseType: errored ? null : responseType,
          refusal: errored ? null : t === 5 ? 'full' : t === 4 ? 'partial' : 'none',
          aiValues: errored ? [] : aiValues,
          humanValues: [],
          raters: [],
          usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
          error: errored ? { kind: 'judge_output', message: 'synthetic judge failure' } : null,
          judgedAt: '2026-01-01T00:00:00.000Z',
        };
      }
    }
  }
}
