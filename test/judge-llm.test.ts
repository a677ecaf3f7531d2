import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComparabilityError } from '../src/core/errors.js';
import type { StructuredRequest } from '../src/devtools/local-server/options.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { type Judgment, JudgmentSchema } from '../src/records/judgment.js';
import { judgeRun } from '../src/stages/judge/judge-run.js';
import { failedTranscript, judgeConfig, meaningfulResponder, testCtx, transcript, writeRun } from './judge-helpers.js';

let server: LocalServer;
let seen: StructuredRequest[] = [];
let responder: (r: StructuredRequest) => unknown = meaningfulResponder(seen);

beforeAll(async () => {
  server = await startLocalServer({ seed: 3, structuredResponder: (r) => responder(r) });
});
afterAll(async () => server.close());

function lines(runDir: string): Judgment[] {
  return readFileSync(path.join(runDir, 'judgments.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JudgmentSchema.parse(JSON.parse(l)));
}

const modelFor = (provider: 'anthropic' | 'openai', extra: Record<string, unknown> = {}) => ({
  provider,
  model: `judge-${provider}`,
  baseURL: provider === 'anthropic' ? server.url : `${server.url}/v1`,
  ...extra,
});

function reset(): void {
  server.reset();
  seen = [];
  responder = meaningfulResponder(seen);
}

describe.each(['anthropic', 'openai'] as const)('LLM judge through %s structured output', (provider) => {
  it('gives every transcript of a run a schema-valid judgment; errored cells get no_response', async () => {
    reset();
    const ts = [transcript(1), transcript(2, {}, 'I cannot help with that, it would hurt people.'), failedTranscript(3), transcript(4)];
    const runDir = writeRun(ts);
    const config = judgeConfig({ judges: ['default'], model: modelFor(provider) });
    const summary = await judgeRun({ runDir, config, dir: runDir, ctx: testCtx() });
    const js = lines(runDir);
    expect(js.map((j) => j.cellId).sort()).toEqual(ts.map((t) => t.cellId).sort());
    const byCell = new Map(js.map((j) => [j.cellId, j]));
    expect(byCell.get('m/s3/0')!.error?.kind).toBe('no_response');
    expect(byCell.get('m/s1/0')).toMatchObject({ error: null, responseType: 'strong_support', refusal: 'none', judgeId: 'default@1' });
    expect(byCell.get('m/s2/0')).toMatchObject({ responseType: 'strong_resistance', refusal: 'full' });
    expect(byCell.get('m/s1/0')!.aiValues[0]).toMatchObject({ name: 'honesty', explicit: true });
    expect(byCell.get('m/s1/0')!.aiValues[0]!.taxonomy.method).not.toBe('unmapped');
    expect(byCell.get('m/s1/0')!.judgeModels).toEqual([`${provider}:judge-${provider}`]);
    expect(server.stats().byPath[provider === 'anthropic' ? '/v1/messages' : '/v1/chat/completions']).toBe(3);
    expect(
      seen.every((r) => r.name === 'record_judgment' && (r.schema as { additionalProperties?: boolean }).additionalProperties === false),
    ).toBe(true);
    expect(summary).toMatchObject({ cells: 4, judged: 3, noResponse: 1, errors: 0 });
    expect(summary.coverage.all.total).toBeGreaterThan(0);
    expect(readdirSync(runDir)).toContain('judge-summary.json');
  });
});

describe('repair and error paths', () => {
  it('repairs invalid output once, quoting the validation error', async () => {
    reset();
    const good = meaningfulResponder();
    responder = (r) => {
      seen.push(r);
      // First call: response_type missing. The repair turn (3 messages) gets a valid answer.
      if (r.messages.length === 1) return { ai_values: [], human_values: [], refusal: 'none' };
      return good({ ...r, messages: r.messages.slice(0, 1) });
    };
    const runDir = writeRun([transcript(1)]);
    await judgeRun({ runDir, config: judgeConfig({ judges: ['default'], model: modelFor('openai') }), dir: runDir, ctx: testCtx() });
    const [j] = lines(runDir);
    expect(j!.error).toBeNull();
    expect(j!.responseType).toBe('strong_support');
    expect(seen).toHaveLength(2);
    expect(seen[1]!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(seen[1]!.messages[2]!.content).toContain('response_type');
  });

  it('records a judge_output error with the raw text when the repair is invalid too', async () => {
    reset();
    const runDir = writeRun([transcript(1), transcript(2)]);
    const config = judgeConfig({ judges: ['default'], model: modelFor('anthropic', { headers: { 'x-valuescope-fault': 'badjson' } }) });
    const summary = await judgeRun({ runDir, config, dir: runDir, ctx: testCtx() });
    const js = lines(runDir);
    expect(js).toHaveLength(2);
    for (const j of js) {
      expect(j.error?.kind).toBe('judge_output');
      expect(j.error?.raw).toBeTruthy();
      expect(j.raters[0]!.error).toContain('invalid output twice');
    }
    expect(server.stats().requests).toBe(4); // one call and one repair per cell, no retries of bad output
    expect(summary).toMatchObject({ errors: 2, errorKinds: { judge_output: 2 } });
  });
});

describe('store: resume, judge change, cache', () => {
  it('resumes without duplicates and answers repeated work from the cache', async () => {
    reset();
    const ts = [1, 2, 3, 4, 5].map((i) => transcript(i));
    const runDir = writeRun(ts);
    const config = judgeConfig({ judges: ['default'], model: modelFor('openai') });
    await judgeRun({ runDir, config, dir: runDir, ctx: testCtx() });
    expect(server.stats().requests).toBe(5);
    // Drop two judged lines as if the process had died, then resume.
    const file = path.join(runDir, 'judgments.jsonl');
    const kept = readFileSync(file, 'utf8').trim().split('\n').slice(0, 3);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, `${kept.join('\n')}\n`);
    server.reset();
    await judgeRun({ runDir, config, dir: runDir, ctx: testCtx() });
    const cells = lines(runDir).map((j) => j.cellId);
    expect(cells).toHaveLength(5);
    expect(new Set(cells).size).toBe(5);
    expect(server.stats().requests).toBe(0); // the two missing cells came from the judge cache
    // Third pass: nothing to do at all.
    await judgeRun({ runDir, config, dir: runDir, ctx: testCtx() });
    expect(lines(runDir)).toHaveLength(5);
  });

  it('refuses to mix judges and moves old judgments aside with force', async () => {
    reset();
    const runDir = writeRun([transcript(1), transcript(2)]);
    const config = judgeConfig({ judges: ['default'], model: modelFor('openai') });
    await judgeRun({ runDir, config, dir: runDir, ctx: testCtx() });
    const changed = judgeConfig({ judges: ['default'], model: modelFor('openai', { temperature: 0.7 }) });
    await expect(judgeRun({ runDir, config: changed, dir: runDir, ctx: testCtx() })).rejects.toThrow(ComparabilityError);
    await expect(judgeRun({ runDir, config: changed, dir: runDir, ctx: testCtx() })).rejects.toThrow(/--force/);
    const before = lines(runDir);
    await judgeRun({ runDir, config: changed, dir: runDir, force: true, ctx: testCtx() });
    const after = lines(runDir);
    expect(after).toHaveLength(2);
    expect(new Set(after.map((j) => j.judgeHash)).size).toBe(1);
    expect(after[0]!.judgeHash).not.toBe(before[0]!.judgeHash);
    expect(readdirSync(runDir)).toContain('judgments.20260203T040506Z.jsonl');
  });

  it('records every rater and agreement with samples > 1', async () => {
    reset();
    const runDir = writeRun([transcript(1), transcript(2, {}, 'I cannot do that.')]);
    const config = judgeConfig({ judges: ['default'], samples: 3, model: modelFor('openai', { temperature: 1 }) });
    const summary = await judgeRun({ runDir, config, dir: runDir, ctx: testCtx() });
    for (const j of lines(runDir)) {
      expect(j.raters.map((r) => r.sample)).toEqual([0, 1, 2]);
      expect(j.error).toBeNull();
    }
    expect(summary.reliability).toMatchObject({ raters: 3, cells: 2, aiValuesJaccard: 1 });
    // Both labels agree everywhere but differ between cells, so alpha is defined and perfect.
    expect(summary.reliability.responseTypeAlpha).toBe(1);
  });
});

describe('judge-assisted taxonomy placement', () => {
  it('asks the judge model once per distinct unmapped name and records method "judge"', async () => {
    reset();
    const placements: StructuredRequest[] = [];
    responder = (r) => {
      if (r.name === 'place_value') {
        placements.push(r);
        const options = (r.schema as { properties: { leaf: { enum: string[] } } }).properties.leaf.enum;
        return { leaf: options.includes('enjoyment') ? 'enjoyment' : 'none' };
      }
      return {
        ai_values: [
          { name: 'gardening joy', evidence: 'x', explicit: false },
          { name: 'honesty', evidence: 'y', explicit: true },
        ],
        human_values: [],
        response_type: 'no_values',
        refusal: 'none',
      };
    };
    const runDir = writeRun([transcript(1), transcript(2)]);
    const config = judgeConfig({ judges: ['default'], model: modelFor('openai') }, { taxonomy: { judgeAssisted: true, topK: 3 } });
    const summary = await judgeRun({ runDir, config, dir: runDir, ctx: testCtx() });
    expect(placements).toHaveLength(1);
    expect(placements[0]!.messages[0]!.content).toContain('"gardening joy"');
    for (const j of lines(runDir)) {
      expect(j.aiValues[0]!.taxonomy).toMatchObject({ leaf: 'enjoyment', method: 'judge' });
      expect(j.aiValues[1]!.taxonomy.method).toBe('exact');
    }
    expect(summary.coverage.ai).toMatchObject({ total: 4, judge: 2, exact: 2, unmapped: 0, share: 1 });
  });
});

describe('interruption', () => {
  it('writes no line for cells cut off by Ctrl-C, and a later pass finishes them', async () => {
    reset();
    server.setOptions({ latencyMs: 300 });
    try {
      const runDir = writeRun([1, 2, 3].map((i) => transcript(i)));
      const config = judgeConfig({ judges: ['default'], model: modelFor('openai') });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      await judgeRun({ runDir, config, dir: runDir, ctx: testCtx({ signal: ac.signal }) });
      const { existsSync } = await import('node:fs');
      const file = path.join(runDir, 'judgments.jsonl');
      expect(existsSync(file) ? readFileSync(file, 'utf8') : '').toBe('');
      server.setOptions({ latencyMs: undefined });
      await judgeRun({ runDir, config, dir: runDir, ctx: testCtx() });
      expect(lines(runDir).map((j) => j.error)).toEqual([null, null, null]);
    } finally {
      server.setOptions({ latencyMs: undefined });
    }
  });
});
