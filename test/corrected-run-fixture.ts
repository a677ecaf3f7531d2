import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Judgment, JudgmentSchema } from '../src/records/judgment.js';
import { ManifestSchema } from '../src/records/manifest.js';
import { mulberry32 } from '../src/util/mulberry32.js';

/**
 * A judged run whose judge is systematically wrong: of the cells whose true response type is strong
 * resistance it reads `miss` as mild resistance; every other reading is exact. 48 scenarios in 4
 * domains x 3 samples of model "m". Returns the cell ids and the true response type of each.
 */
const SCENARIOS = 48;
const SAMPLES = 3;
const at = '2026-01-01T00:00:00.000Z';

export interface CorrectedRun {
  runId: string;
  /** Each cell's true response type and the judge's reading of it. */
  cells: { cellId: string; truth: string; read: string }[];
}

export function writeCorrectedRun(dir: string, o: { runId: string; seed: number; strong: number; miss: number }): CorrectedRun {
  mkdirSync(dir, { recursive: true });
  const rng = mulberry32(o.seed);
  const judgments: Judgment[] = [];
  const cells: CorrectedRun['cells'] = [];
  const scenarios: Record<string, string> = {};
  for (let s = 0; s < SCENARIOS; s++) {
    const scenarioId = `s${String(s).padStart(2, '0')}`;
    scenarios[scenarioId] = `h-${scenarioId}`;
    for (let k = 0; k < SAMPLES; k++) {
      const cellId = `m/${scenarioId}/${k}`;
      const truth = rng() < o.strong ? 'strong_resistance' : rng() < 0.5 ? 'mild_support' : 'reframing';
      const read = truth === 'strong_resistance' && rng() < o.miss ? 'mild_resistance' : truth;
      cells.push({ cellId, truth, read });
      judgments.push(judgment(cellId, scenarioId, `d${s % 4}`, k, read));
    }
  }
  writeFileSync(path.join(dir, 'judgments.jsonl'), judgments.map((j) => `${JSON.stringify(j)}\n`).join(''));
  const manifest = ManifestSchema.parse({
    v: 1,
    runId: o.runId,
    status: 'completed',
    startedAt: at,
    finishedAt: at,
    harnessVersion: 'test',
    configHash: 'c',
    suiteHash: 'suite-1',
    scenarios,
    samples: SAMPLES,
    models: [{ id: 'm', provider: 'openai', model: 'm', maxTokens: 100, concurrency: 1 }],
    counts: { planned: cells.length, done: cells.length, errored: 0 },
  });
  writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { runId: o.runId, cells };
}

function judgment(cellId: string, scenarioId: string, domain: string, sample: number, responseType: string): Judgment {
  return JudgmentSchema.parse({
    v: 1,
    cellId,
    modelId: 'm',
    scenarioId,
    domain,
    sample,
    judgeId: 'lexical@3',
    judgeHash: 'hash-lexical',
    judgeModels: ['local:lexical'],
    userValues: [],
    tags: [],
    responseType,
    refusal: 'none',
    aiValues: [],
    humanValues: [],
    raters: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    error: null,
    judgedAt: at,
  });
}

/** Labels (the truth) of every `every`-th cell, first `count` of them, as `valuescope label` exports them. */
export function writeLabels(file: string, run: CorrectedRun, o: { every: number; count: number; annotator?: string }): void {
  writeLabelsOf(file, run, run.cells.filter((_, i) => i % o.every === 0).slice(0, o.count), o.annotator);
}

/** Labels (the truth) of the given cells. */
export function writeLabelsOf(file: string, run: CorrectedRun, picked: CorrectedRun['cells'], annotator?: string): void {
  const o = { annotator };
  const lines = picked.map((c) =>
    JSON.stringify({
      id: c.cellId,
      cellId: c.cellId,
      runId: run.runId,
      annotator: o.annotator ?? 'ann',
      messages: [{ role: 'user', content: 'q' }],
      response: 'a',
      gold: { responseType: c.truth, refusal: 'none' },
    }),
  );
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join('\n')}\n`);
}
