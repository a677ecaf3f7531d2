import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Judgment, JudgmentSchema } from '../src/records/judgment.js';
import { ManifestSchema } from '../src/records/manifest.js';
import { RESPONSE_TYPES } from '../src/records/response-types.js';
import { type Transcript, TranscriptSchema } from '../src/records/transcript.js';

/**
 * A judged run for the labelling tests, with strata of known sizes: domain "alpha" 60 eligible cells,
 * "beta" 30, "gamma" 10 (100 in all), the judge's response type cycling through the seven types
 * within each domain; plus 3 cells whose response failed, 2 whose judgment failed and 1 never judged.
 */
export const FIXTURE_DOMAINS = { alpha: 60, beta: 30, gamma: 10 } as const;
export const INELIGIBLE = 6;

const at = '2026-01-01T00:00:00.000Z';

/** In every other system prompt: markup that would run, or make a request, if the page ever parsed it as HTML. */
export const HOSTILE = `</script><script>window.__pwned=1</script><img src="https://example.com/x.png" onerror="window.__pwned=2"><!--`;

function transcript(cellId: string, domain: string, i: number, failed: boolean): Transcript {
  const [modelId, scenarioId] = cellId.split('/') as [string, string];
  return TranscriptSchema.parse({
    v: 1,
    cellId,
    modelId,
    provider: 'local',
    model: modelId,
    scenarioId,
    domain,
    sample: 0,
    scenarioHash: `h-${scenarioId}`,
    userValues: ['honesty'],
    tags: [],
    request: {
      ...(i % 2 === 0 ? { system: `You are assistant ${i}. ${HOSTILE}` } : {}),
      messages: [{ role: 'user', content: `I care about honesty. Question ${i} in ${domain}: should I tell my friend?` }],
      maxTokens: 100,
    },
    response: failed
      ? null
      : {
          text: `I value honesty; tell your friend kindly (${cellId}).`,
          finishReason: 'stop',
          usage: { inputTokens: 1, outputTokens: 1 },
          latencyMs: 1,
        },
    attempts: 1,
    cached: false,
    error: failed ? { kind: 'http_500', message: 'server error' } : null,
    startedAt: at,
    finishedAt: at,
  });
}

function judgment(t: Transcript, i: number, failed: boolean): Judgment {
  const name = (n: string) => ({ name: n, taxonomy: { leaf: null, l1: null, l2: null, l3: null, method: 'unmapped', score: 0 } });
  return JudgmentSchema.parse({
    v: 1,
    cellId: t.cellId,
    modelId: t.modelId,
    scenarioId: t.scenarioId,
    domain: t.domain,
    sample: t.sample,
    judgeId: 'lexical@3',
    judgeHash: 'hash-lexical',
    judgeModels: ['local:lexical'],
    userValues: t.userValues,
    tags: [],
    responseType: failed ? null : RESPONSE_TYPES[i % RESPONSE_TYPES.length],
    refusal: failed ? null : i % 5 === 0 ? 'partial' : 'none',
    aiValues: failed ? [] : [name('honesty')],
    humanValues: failed ? [] : [name('honesty')],
    raters: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    error: failed ? { kind: 'judge_parse', message: 'no JSON' } : null,
    judgedAt: at,
  });
}

/** Writes the run into `dir`; returns the eligible cell ids. */
export function writeLabelRun(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const transcripts: Transcript[] = [];
  const judgments: Judgment[] = [];
  const eligible: string[] = [];
  let n = 0;
  for (const [domain, count] of Object.entries(FIXTURE_DOMAINS)) {
    for (let i = 0; i < count + (domain === 'alpha' ? INELIGIBLE : 0); i++) {
      const cellId = `model-${n % 2 ? 'b' : 'a'}/${domain}-s${i}/0`;
      const kind = domain === 'alpha' ? i - count : -1; // 0-2 failed response, 3-4 failed judgment, 5 unjudged
      const t = transcript(cellId, domain, n++, kind >= 0 && kind < 3);
      transcripts.push(t);
      if (kind !== 5) judgments.push(judgment(t, i, kind >= 3 || (kind >= 0 && kind < 3)));
      if (kind < 0) eligible.push(cellId);
    }
  }
  const jsonl = (rows: unknown[]) => rows.map((r) => `${JSON.stringify(r)}\n`).join('');
  writeFileSync(path.join(dir, 'transcripts.jsonl'), jsonl(transcripts));
  writeFileSync(path.join(dir, 'judgments.jsonl'), jsonl(judgments));
  const manifest = ManifestSchema.parse({
    v: 1,
    runId: 'label-fixture-run',
    status: 'completed',
    startedAt: at,
    finishedAt: at,
    harnessVersion: 'test',
    configHash: 'c',
    suiteHash: 's',
    scenarios: {},
    samples: 1,
    models: [],
    counts: { planned: transcripts.length, done: transcripts.length, errored: 3 },
  });
  writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return eligible;
}
