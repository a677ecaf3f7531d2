import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scheduler } from '../src/calls/scheduler.js';
import { ModelSpecSchema } from '../src/config/model-schema.js';
import { systemClock } from '../src/core/clock.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { createModel } from '../src/providers/registry.js';
import type { Transcript } from '../src/records/transcript.js';
import { loadSuite } from '../src/scenarios/load-suite.js';
import { buildCells } from '../src/stages/run/plan.js';
import { runCells } from '../src/stages/run/run-loop.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 4 });
});
afterAll(() => server.close());

describe('run loop back-pressure (pipelined judging cannot fall behind without bound)', () => {
  it('stops requesting new cells while the transcript consumer is busy, then finishes every cell exactly once', async () => {
    const spec = ModelSpecSchema.parse({ id: 'm', provider: 'openai', model: 'bp', baseURL: `${server.url}/v1`, concurrency: 4 });
    const suite = await loadSuite([path.join(repo, 'scenarios', 'workplace')], { cwd: repo });
    const cells = buildCells([spec], suite.scenarios, 4);
    expect(cells.length).toBeGreaterThan(60);
    const lane = new Scheduler({ clock: systemClock }).lane('m', { concurrency: 4 });
    const model = createModel(spec, { env: { OPENAI_API_KEY: 'sk-local-test' }, fetch: globalThis.fetch, cwd: repo });
    const written: Transcript[] = [];
    let release!: () => void;
    const consumerBusy = new Promise<void>((r) => {
      release = r;
    });
    const loop = runCells({
      cells,
      models: new Map([['m', { spec, model, lane, policy: { maxAttempts: 2, baseMs: 10, maxMs: 50, timeoutMs: 10_000 } }]]),
      store: { append: async (t) => void written.push(t) },
      clock: systemClock,
      random: () => 0.5,
      now: () => new Date(),
      onTranscript: () => consumerBusy,
    });
    // Give the loop ample time to run ahead if it could.
    for (let i = 0; i < 20 && server.stats().requests < cells.length; i++) await new Promise((r) => setTimeout(r, 25));
    // 2 x concurrency workers, each holding one finished transcript the consumer has not taken.
    expect(server.stats().requests).toBe(8);
    expect(written).toHaveLength(8);
    release();
    const result = await loop;
    expect(result.written).toBe(cells.length);
    expect(new Set(written.map((t) => t.cellId)).size).toBe(cells.length);
    expect(server.stats().requests).toBe(cells.length);
  });
});
