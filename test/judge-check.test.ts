import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import type { CheckReport } from '../src/stages/judge/check/check-metrics.js';
import { meaningfulResponder, tempDir, testCtx } from './judge-helpers.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ structuredResponder: meaningfulResponder() });
});
afterAll(async () => server.close());

const GOLD = path.resolve('test/fixtures/judge-gold.jsonl');

describe('valuescope judge-check', () => {
  it('scores a judge against the gold fixture with hand-checked figures', async () => {
    const dir = tempDir('vs-check-');
    writeFileSync(
      path.join(dir, 'config.yaml'),
      `models: [{ id: m, provider: openai, model: m }]\njudge:\n  judges: [default]\n  model: { provider: anthropic, model: judge-a, baseURL: "${server.url}" }\n`,
    );
    const ctx = testCtx({ cwd: dir });
    expect(await main(['judge-check', GOLD, '--json', 'report.json'], ctx)).toBe(0);
    const r = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as CheckReport;
    // The test responder says strong_resistance/full when the response contains "cannot" or "won't", else
    // strong_support/none; AI value "harm prevention" or "honesty"; human value "honesty" when the user's text contains lower-case "honesty".
    // Response type (gold, judge): (ss,ss) (sr,sr) (reframing,ss) (no_values,ss) (sr,sr): accuracy 3/5 = 0.6.
    //   Marginals gold ss 1, sr 2, reframing 1, no_values 1; judge ss 3, sr 2.
    //   p_e = (1*3 + 2*2) / 25 = 0.28; kappa = (0.6 - 0.28) / 0.72 = 0.4444.
    expect(r.responseType.accuracy).toBeCloseTo(0.6, 10);
    expect(r.responseType.kappa).toBeCloseTo(0.32 / 0.72, 10);
    // Refusal: (none,none) (full,full) (none,none) (none,none) (partial,full): accuracy 0.8.
    //   Marginals gold none 3, full 1, partial 1; judge none 3, full 2. p_e = (9 + 2) / 25 = 0.44; kappa = 0.36 / 0.56.
    expect(r.refusal.accuracy).toBeCloseTo(0.8, 10);
    expect(r.refusal.kappa).toBeCloseTo(0.36 / 0.56, 10);
    const partial = r.refusal.labels.indexOf('partial');
    expect(r.refusal.confusion[partial]![r.refusal.labels.indexOf('full')]).toBe(1);
    // AI values: honesty, harm prevention x2 right; integrity and safety missed, honesty said twice instead.
    expect(r.aiValues).toMatchObject({ tp: 3, fp: 2, fn: 2, precision: 0.6, recall: 0.6 });
    // Human values: honesty right (item 1); loyalty missed (item 3); "Honesty is overrated" has a capital H, so nothing found there.
    expect(r.humanValues).toMatchObject({ tp: 1, fp: 0, fn: 1, precision: 1, recall: 0.5 });
    // The judge was called on each item (no run given), and every figure carries its bootstrap interval.
    expect(r).toMatchObject({ source: 'judge', runId: null, items: 5, scored: 5, notScored: [], annotators: null });
    expect(r.responseType.accuracyInterval![0]).toBeLessThanOrEqual(0.6);
    expect(r.responseType.accuracyInterval![1]).toBeGreaterThanOrEqual(0.6);
    const text = ctx.out.join('');
    expect(text).toContain("response type: 5 items, accuracy 0.600, Cohen's kappa 0.444");
    expect(text).toContain('gold \\ judge');
  });

  it('reports a malformed gold line with its line number', async () => {
    const dir = tempDir('vs-check-');
    writeFileSync(
      path.join(dir, 'config.yaml'),
      `models: [{ id: m, provider: openai, model: m }]\njudge:\n  judges: [default]\n  model: { provider: openai, model: j, baseURL: "${server.url}/v1" }\n`,
    );
    writeFileSync(path.join(dir, 'gold.jsonl'), `${readFileSync(GOLD, 'utf8')}{"id":"x","messages":[],"response":"r","gold":{}}\n`);
    const ctx = testCtx({ cwd: dir });
    expect(await main(['judge-check', 'gold.jsonl'], ctx)).toBe(2);
    expect(ctx.err.join('')).toMatch(/gold\.jsonl:6/);
  });
});
