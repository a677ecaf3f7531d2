import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchEvent } from '../src/calls/batch/batch-events.js';
import { BatchingModel } from '../src/calls/batch/batching-model.js';
import { splitBatches } from '../src/calls/batch/split-batches.js';
import { ModelSpecSchema } from '../src/config/model-schema.js';
import { systemClock } from '../src/core/clock.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { batchCustomId } from '../src/providers/batch-model.js';
import type { GenerateRequest } from '../src/providers/language-model.js';
import { createBatchModel, createModel } from '../src/providers/registry.js';
import { BatchJournal } from '../src/records/batch-journal.js';
import { readJsonLines } from './fixtures/runner-project.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 4, batchPolls: 1 });
});
afterAll(() => server.close());

const deps = { env: {}, fetch: globalThis.fetch, cwd: tmpdir() };
const specs = () => ({
  anthropic: ModelSpecSchema.parse({ id: 'a', provider: 'anthropic', model: 'claude-x', baseURL: server.url, temperature: 1 }),
  openai: ModelSpecSchema.parse({ id: 'o', provider: 'openai', model: 'gpt-x', baseURL: `${server.url}/v1`, temperature: 1 }),
});

function request(i: number, sample = 0): GenerateRequest {
  return {
    messages: [{ role: 'user', content: `question ${i}: should I tell my friend?` }],
    maxTokens: 100,
    temperature: 1,
    sample,
    batchKey: `cell-${i}/${sample}`,
  };
}

async function batching(spec: ReturnType<typeof specs>['openai'], file: string, events: BatchEvent[] = []) {
  const journal = await BatchJournal.open(file);
  const model = new BatchingModel(createBatchModel(spec, deps), {
    journal,
    modelId: spec.id,
    settings: { pollMs: 10, gatherMs: 30 },
    clock: systemClock,
    now: () => new Date(),
    random: Math.random,
    onEvent: (e) => events.push(e),
  });
  return { journal, model };
}

describe('the batch engine (calls/batch) against both batch APIs', () => {
  for (const vendor of ['anthropic', 'openai'] as const) {
    it(`${vendor}: requests gathered within gatherMs go out as one batch; answers equal the single-request answers`, async () => {
      server.reset();
      const spec = specs()[vendor];
      const dir = await mkdtemp(path.join(tmpdir(), 'vs-batch-'));
      const { journal, model } = await batching(spec, path.join(dir, 'batches.jsonl'));
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => model.generate(request(i, i % 3))));
      await journal.close();
      expect(server.stats().batchesCreated).toBe(1);
      const single = createModel(spec, deps);
      for (let i = 0; i < 12; i++) {
        const { batchKey: _k, ...plain } = request(i, i % 3);
        expect(results[i]!.text).toBe((await single.generate(plain)).text);
        expect(results[i]!.usage.batched?.inputTokens).toBe(results[i]!.usage.inputTokens);
      }
      const lines = await readJsonLines(path.join(dir, 'batches.jsonl'));
      expect(lines.map((l) => l.kind)).toEqual(['planned', 'submitted', 'ended']);
    });

    it(`${vendor}: a crash between planning and recording the batch id is recovered by finding the batch (no second submit)`, async () => {
      server.reset();
      const spec = specs()[vendor];
      const dir = await mkdtemp(path.join(tmpdir(), 'vs-batch-'));
      const file = path.join(dir, 'batches.jsonl');
      // What a process killed right after its submit left behind: the planned line, a batch at the provider, no id.
      const first = await BatchJournal.open(file);
      const tag = 'vslost000001';
      const items = [0, 1, 2].map((i) => ({ customId: batchCustomId(tag, i, 0), batchKey: request(i).batchKey! }));
      await first.record({
        v: 1,
        kind: 'planned',
        tag,
        modelId: spec.id,
        provider: spec.provider,
        model: spec.model,
        at: new Date().toISOString(),
        items,
      });
      await first.close();
      const inner = createBatchModel(spec, deps);
      await inner.submit(
        [0, 1, 2].map((i) => {
          const { batchKey: _k, ...wire } = request(i);
          return { customId: items[i]!.customId, request: wire };
        }),
        tag,
      );
      const events: BatchEvent[] = [];
      const { journal, model } = await batching(spec, file, events);
      const texts = await Promise.all([0, 1, 2].map((i) => model.generate(request(i))));
      await journal.close();
      expect(texts.every((t) => t.text.length > 0)).toBe(true);
      expect(server.stats().batchesCreated).toBe(1);
      expect(events.some((e) => e.kind === 'reattached' && e.adopted)).toBe(true);
      const lines = await readJsonLines(file);
      expect(lines.find((l) => l.kind === 'submitted')?.adopted).toBe(true);
    });
  }

  it('a request aborted while its batch runs stops waiting; the batch stays journaled for a later process', async () => {
    server.setOptions({ batchPolls: 1_000_000 });
    server.reset();
    try {
      const dir = await mkdtemp(path.join(tmpdir(), 'vs-batch-'));
      const file = path.join(dir, 'batches.jsonl');
      const { journal, model } = await batching(specs().openai, file);
      const ctl = new AbortController();
      const pending = model.generate({ ...request(1), signal: ctl.signal });
      await new Promise((r) => setTimeout(r, 150));
      ctl.abort();
      await expect(pending).rejects.toMatchObject({ kind: 'aborted' });
      await journal.close();
      const reopened = await BatchJournal.open(file);
      expect([...reopened.batches.values()][0]?.batchId).toMatch(/^batch_/);
      await reopened.close();
    } finally {
      server.setOptions({ batchPolls: 1 });
    }
  });
});

describe('splitBatches', () => {
  it('keeps each batch within the item and byte limits, in arrival order', () => {
    const reqs = Array.from({ length: 25 }, (_, i) => request(i));
    const byItems = splitBatches(reqs, (r) => r, { maxItems: 10, maxBytes: 1e9 });
    expect(byItems.map((b) => b.length)).toEqual([10, 10, 5]);
    const size = Buffer.byteLength(JSON.stringify(reqs[0])) + 256;
    const byBytes = splitBatches(reqs, (r) => r, { maxItems: 1000, maxBytes: size * 4 + 10 });
    expect(byBytes.every((b) => b.length <= 4)).toBe(true);
    expect(byBytes.flat()).toEqual(reqs);
  });
});
