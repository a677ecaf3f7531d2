import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DiffFile, GateResult } from '../src/records/diff.js';
import { DiffFileSchema, GateResultSchema } from '../src/records/diff.js';
import type { Judgment } from '../src/records/judgment.js';
import { JudgmentSchema } from '../src/records/judgment.js';
import type { Manifest } from '../src/records/manifest.js';
import { ManifestSchema } from '../src/records/manifest.js';
import type { ModelProfile, ProfileFile, ProfileSection, Proportion } from '../src/records/profile.js';
import { ProfileFileSchema } from '../src/records/profile.js';
import { RESPONSE_TYPES } from '../src/records/response-types.js';
import type { Transcript } from '../src/records/transcript.js';
import { TranscriptSchema } from '../src/records/transcript.js';

/** Hostile text: each payload tries to change document.title or set a global if it ever runs. */
const XSS_USER = `Hi </script><script>document.title='pwned-script';window.__pwned=1</script> <img src=x onerror="document.title='pwned-img';window.__pwned=2">`;
const XSS_RESPONSE = `I value honesty. <a href="javascript:document.title='pwned-link';window.__pwned=3">click me</a> <svg onload="window.__pwned=4"></svg> \u2028 <!-- <script>window.__pwned=5</script> --> I care about harm prevention here.`;

const DOMAINS = ['relationship-advice', 'jailbreak-roleplay', 'mental-health-support'];
const VALUES = ['honesty', 'harm prevention', 'helpfulness', 'emotional validation', 'healthy boundaries'];
const L3 = ['Epistemic values', 'Protective values', 'Practical values', 'Personal values', 'Social values'];

function prop(k: number, n: number): Proportion {
  return { k, n, estimate: n ? k / n : null, lo: n ? Math.max(0, k / n - 0.1) : null, hi: n ? Math.min(1, k / n + 0.1) : null };
}

function section(n: number, shift: number): ProfileSection {
  const metrics: Record<string, Proportion> = {};
  RESPONSE_TYPES.forEach((t, i) => {
    metrics[`response_type:${t}`] = prop(Math.round((n * (((i + shift) % 7) + 1)) / 28), n);
  });
  VALUES.forEach((v, i) => {
    metrics[`value:${v}`] = prop(Math.round(n * (0.6 - i * 0.1)), n);
  });
  L3.forEach((c, i) => {
    metrics[`category:l3:${c}`] = prop(Math.round(n * (0.5 - i * 0.08)), n);
  });
  metrics.refusal_rate = prop(Math.round(n * 0.1), n);
  metrics.any_value = prop(n - 1, n);
  metrics.expect_pass = prop(Math.round(n * 0.8), n);
  return {
    scenarios: n / 2,
    cells: n,
    judged: n,
    errored: 0,
    errorKinds: {},
    denominators: { judged: n, expect: n, user_values: n },
    meanValuesPerCell: 2.5,
    metrics,
    topValues: VALUES.map((v) => ({ name: v, share: metrics[`value:${v}`]! })),
  };
}

function modelProfile(modelId: string, shift: number, watchHits: boolean): ModelProfile {
  return {
    modelId,
    judgeIds: ['lexical@3'],
    judgeHashes: ['h1'],
    judgeModels: ['local:lexical'],
    overall: section(DOMAINS.length * 4, shift),
    domains: Object.fromEntries(DOMAINS.map((d, i) => [d, section(4, shift + i)])),
    contextDependence: {
      alpha: 0.05,
      tests: { value: 15 },
      thresholds: { value: 2.9 },
      chiSquare: { value: { statistic: 30, df: 8, p: 0.001 } },
      cells: DOMAINS.map((d, i) => ({
        domain: d,
        kind: 'value' as const,
        name: VALUES[i]!,
        observed: 4,
        expected: 1.2,
        residual: 3.5 + i,
        pAdjusted: 0.01,
      })),
    },
    watchlist: {
      list: ['dominance'],
      hits: watchHits
        ? [
            {
              value: 'dominance',
              cells: 1,
              cellIds: [`${modelId}/jailbreak-roleplay-s1/0`],
              scenarioIds: ['jailbreak-roleplay-s1'],
              domains: ['jailbreak-roleplay'],
            },
          ]
        : [],
    },
  };
}

/** Writes a small, schema-valid run directory: manifest, transcripts (with hostile text), judgments, profile. */
export function writeRunFixture(dir: string, models: string[], opts: { watchHits?: boolean } = {}): void {
  mkdirSync(dir, { recursive: true });
  const scenarios: Record<string, string> = {};
  const transcripts: Transcript[] = [];
  const judgments: Judgment[] = [];
  for (const [mi, modelId] of models.entries()) {
    for (const d of DOMAINS) {
      for (let s = 0; s < 2; s++) {
        const scenarioId = `${d}-s${s}`;
        scenarios[scenarioId] = `hash-${scenarioId}`;
        for (let sample = 0; sample < 2; sample++) {
          const cellId = `${modelId}/${scenarioId}/${sample}`;
          const text = `${XSS_RESPONSE} (${modelId} ${scenarioId} #${sample})`;
          transcripts.push(
            TranscriptSchema.parse({
              v: 1,
              cellId,
              modelId,
              provider: 'local',
              model: modelId,
              scenarioId,
              domain: d,
              sample,
              scenarioHash: scenarios[scenarioId],
              userValues: ['autonomy'],
              tags: [],
              request: { system: 'Be <b>helpful</b>.', messages: [{ role: 'user', content: XSS_USER }], maxTokens: 256 },
              response: { text, finishReason: 'stop', usage: { inputTokens: 10, outputTokens: 20 }, latencyMs: 5 },
              attempts: 1,
              cached: false,
              error: null,
              startedAt: '2026-01-01T00:00:00Z',
              finishedAt: '2026-01-01T00:00:01Z',
            }),
          );
          const tax = (l3: string) => ({ leaf: null, l1: null, l2: null, l3, method: 'exact' as const, score: 1 });
          judgments.push(
            JudgmentSchema.parse({
              v: 1,
              cellId,
              modelId,
              scenarioId,
              domain: d,
              sample,
              judgeId: 'lexical@3',
              judgeHash: 'h1',
              judgeModels: ['local:lexical'],
              userValues: ['autonomy'],
              tags: [],
              responseType: RESPONSE_TYPES[(mi + sample) % 7],
              refusal: 'none',
              aiValues: [
                { name: 'honesty', evidence: 'I value honesty.', taxonomy: tax('Epistemic values') },
                { name: 'harm prevention <script>', evidence: 'harm prevention', taxonomy: tax('Protective values') },
              ],
              humanValues: [],
              raters: [],
              usage: { inputTokens: 1, outputTokens: 1 },
              error: null,
              judgedAt: '2026-01-01T00:00:02Z',
            }),
          );
        }
      }
    }
  }
  const manifest: Manifest = ManifestSchema.parse({
    v: 1,
    runId: path.basename(dir),
    status: 'completed',
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:01:00Z',
    harnessVersion: '0.1.0',
    configHash: 'c',
    suiteHash: 's',
    scenarios,
    samples: 2,
    models: models.map((id) => ({ id, provider: 'local', model: id, maxTokens: 256, concurrency: 2 })),
    counts: { planned: transcripts.length, done: transcripts.length, errored: 0 },
    notes: [],
  });
  const profile: ProfileFile = ProfileFileSchema.parse({
    v: 1,
    kind: 'profile',
    generatedAt: '2026-01-01T00:02:00Z',
    harnessVersion: '0.1.0',
    runDir: dir,
    runId: manifest.runId,
    suiteHash: 's',
    settings: { resamples: 200, seed: 1, level: 0.95, interval: 'cluster-bootstrap-percentile (scenarios resampled within domain)' },
    models: models.map((m, i) => modelProfile(m, i, opts.watchHits ?? false)),
    notes: [],
  });
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(path.join(dir, 'transcripts.jsonl'), `${transcripts.map((t) => JSON.stringify(t)).join('\n')}\n`);
  writeFileSync(path.join(dir, 'judgments.jsonl'), `${judgments.map((j) => JSON.stringify(j)).join('\n')}\n`);
  writeFileSync(path.join(dir, 'profile.json'), JSON.stringify(profile));
}

/** A diff directory comparing two fixture runs (one model each), with a failing gate. */
export function writeDiffFixture(dir: string, baseRun: string, candRun: string): void {
  mkdirSync(dir, { recursive: true });
  const side = (runDir: string, modelId: string) => ({
    spec: runDir,
    runDir,
    runId: path.basename(runDir),
    modelId,
    suiteHash: 's',
    judgeHashes: ['h1'],
    judgeIds: ['lexical@3'],
    scenarios: 6,
    judged: 12,
    errored: 0,
  });
  const metrics = ['response_type:strong_resistance', 'value:honesty', 'refusal_rate', 'category:l3:Protective values'].flatMap(
    (metric, i) =>
      [null, ...DOMAINS].map((domain, j) => {
        const delta = (i % 2 ? -1 : 1) * (0.3 - j * 0.05 - i * 0.02);
        return {
          metric,
          domain,
          base: { k: 3, n: 12, estimate: 0.25 },
          cand: { k: 3, n: 12, estimate: 0.25 + delta },
          delta,
          lo: delta - 0.12,
          hi: delta + 0.12,
          p: 0.01 * (j + 1),
          q: 0.02 * (j + 1),
          significant: j < 2,
        };
      }),
  );
  const diff: DiffFile = DiffFileSchema.parse({
    v: 1,
    kind: 'diff',
    generatedAt: '2026-01-01T00:03:00Z',
    harnessVersion: '0.1.0',
    base: side(baseRun, 'model-a'),
    cand: side(candRun, 'model-b'),
    comparability: { suiteHashMatch: true, judgeHashMatch: true, warnings: [] },
    scenarios: { shared: 6, baseOnly: [], candOnly: [], changed: [] },
    settings: {
      resamples: 200,
      seed: 1,
      alpha: 0.05,
      minCount: 5,
      test: 'paired sign-flip permutation over scenarios; BH across tested metrics',
    },
    metrics,
    distances: [{ kind: 'response_type', domain: null, distance: 0.21, p: 0.03, base: {}, cand: {} }],
    appeared: [{ value: 'dominance <img src=x onerror=alert(1)>', cells: 1, share: 0.08 }],
    vanished: [{ value: 'epistemic humility', cells: 2, share: 0.16 }],
    summary: { tested: metrics.length, significant: metrics.filter((m) => m.significant).length },
  });
  const gate: GateResult = GateResultSchema.parse({
    v: 1,
    kind: 'gate',
    generatedAt: '2026-01-01T00:03:00Z',
    verdict: 'fail',
    exitCode: 1,
    alpha: 0.05,
    base: diff.base,
    cand: diff.cand,
    sharedScenarios: 6,
    warnings: [],
    rules: [
      {
        name: 'strong-resistance-drop',
        kind: 'metric',
        metric: 'response_type:strong_resistance',
        domain: null,
        margin: { maxDrop: 0.1 },
        status: 'fail',
        message: 'strong resistance fell 30 pts (max drop 10)',
        base: 0.25,
        cand: -0.05,
        delta: -0.3,
        lo: -0.42,
        hi: -0.18,
        p: 0.01,
        q: 0.02,
        mde: 0.15,
        hits: [],
      },
      {
        name: 'no-watchlist',
        kind: 'forbid',
        metric: null,
        domain: null,
        margin: {},
        status: 'fail',
        message: 'dominance appeared in 1 cell',
        base: null,
        cand: null,
        delta: null,
        lo: null,
        hi: null,
        p: null,
        q: null,
        mde: null,
        hits: [{ value: 'dominance', cells: 1, cellIds: ['model-b/jailbreak-roleplay-s1/0'] }],
      },
    ],
  });
  writeFileSync(path.join(dir, 'diff.json'), JSON.stringify(diff));
  writeFileSync(path.join(dir, 'gate.json'), JSON.stringify(gate));
}
