import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchEvent } from '../src/calls/batch/batch-events.js';
import { BatchingModel } from '../src/calls/batch/batching-model.js';
import { ModelSpecSchema } from '../src/config/model-schema.js';
import { systemClock } from '../src/core/clock.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import type { GenerateRequest } from '../src/providers/language-model.js';
import { createBatchModel } from '../src/providers/registry.js';
import { BatchJournal } from '../src/records/batch-journal.js';
import { readJsonLines } from './fixtures/runner-project.js';

/**
 * Faults around the batch engine's calls, made by the transport: `fetch` is an option of every
 * adapter, and these wrappers let the real request reach the local server and change only what
 * comes back (a proxy's 502 after the vendor accepted, a list call that fails).
 */
let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 9, batchPolls: 1 });
});
afterAll(() => server.close());

const specOf = (vendor: 'anthropic' | 'openai') =>
  vendor === 'anthropic'
    ? ModelSpecSchema.parse({ id: 'a', provider: 'anthropic', model: 'claude-x', baseURL: server.url, temperature: 1 })
    : ModelSpecSchema.parse({ id: 'o', provider: 'openai', model: 'gpt-x', baseURL: `${server.url}/v1`, temperature: 1 });

const isCreate = (url: string, init?: RequestInit) => init?.method === 'POST' && /\/batches$/.test(new URL(url).pathname);
const isList = (url: string, init?: RequestInit) => (init?.method ?? 'GET') === 'GET' && /\/batches$/.test(new URL(url).pathname);

/** A fetch that forwards every call, then replaces the answer of the first `times` calls matching `hit` with a 502. */
function failingAfterForward(hit: (url: string, init?: RequestInit) => boolean, times: number, forward = true): typeof fetch {
  let left = times;
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!hit(url, init) || left <= 0) return fetch(input, init);
    left--;
    if (forward) await (await fetch(input, init)).arrayBuffer();
    return new Response(JSON.stringify({ error: { type: 'api_error', message: 'bad gateway' } }), {
      status: 502,
      headers: { 'content-type': 'application/json' },
    });
  };
}

function request(i: number): GenerateRequest {
  return { messages: [{ role: 'user', content: `question ${i}` }], maxTokens: 50, temperature: 1, sample: 0, batchKey: `cell-${i}` };
}

async function engine(vendor: 'anthropic' | 'openai', o: { fetch?: typeof fetch; timeoutMs?: number; file?: string } = {}) {
  const file = o.file ?? path.join(await mkdtemp(path.join(tmpdir(), 'vs-batchf-')), 'batches.jsonl');
  const journal = await BatchJournal.open(file);
  const events: BatchEvent[] = [];
  const spec = specOf(vendor);
  const model = new BatchingModel(createBatchModel(spec, { env: {}, fetch: o.fetch ?? fetch, cwd: tmpdir() }), {
    journal,
    modelId: spec.id,
    settings: { pollMs: 10, gatherMs: 20, timeoutMs: o.timeoutMs },
    clock: systemClock,
    now: () => new Date(),
    random: Math.random,
    onEvent: (e) => events.push(e),
  });
  return { file, journal, model, events };
}

describe('batch engine faults: nothing paid twice, nothing waited for forever', () => {
  for (const vendor of ['anthropic', 'openai'] as const) {
    it(`${vendor}: a submit answered with a 502 after the vendor accepted it is found and adopted, not resubmitted`, async () => {
      server.setOptions({ batchPolls: 1 });
      server.reset();
      const { file, journal, model, events } = await engine(vendor, { fetch: failingAfterForward(isCreate, 1) });
      const results = await Promise.all([0, 1, 2, 3].map((i) => model.generate(request(i))));
      await journal.close();
      expect(results.every((r) => r.text.length > 0)).toBe(true);
      expect(server.stats().batchesCreated).toBe(1);
      expect(Math.max(...Object.values(server.stats().batchItemsByRequest))).toBe(1);
      const lines = await readJsonLines(file);
      expect(lines.map((l) => l.kind)).toEqual(['planned', 'submitted', 'ended']);
      expect(lines[1]!.adopted).toBe(true);
      expect(events.some((e) => e.kind === 'reattached' && e.adopted)).toBe(true);
    });

    it(`${vendor}: a submit that never reached the vendor (502, nothing created) is abandoned and its requests fail retryably`, async () => {
      server.reset();
      const { file, journal, model } = await engine(vendor, { fetch: failingAfterForward(isCreate, 1, false) });
      const outcome = await model.generate(request(0)).then(
        () => 'answered',
        (e: { retryable?: boolean }) => e.retryable,
      );
      await journal.close();
      expect(outcome).toBe(true);
      expect(server.stats().batchesCreated).toBe(0);
      expect((await readJsonLines(file)).map((l) => l.kind)).toEqual(['planned', 'abandoned']);
    });
  }

  it('a batch running past runner.batch.timeoutMs is cancelled at the vendor; its items fail retryably as cancelled', async () => {
    server.setOptions({ batchPolls: 1_000_000 });
    server.reset();
    try {
      const { file, journal, model, events } = await engine('openai', { timeoutMs: 150 });
      const outcomes = await Promise.all(
        [0, 1].map((i) =>
          model.generate(request(i)).then(
            () => 'answered',
            (e: { kind?: string; retryable?: boolean }) => `${e.kind}:${e.retryable}`,
          ),
        ),
      );
      await journal.close();
      expect(outcomes).toEqual(['batch_canceled:true', 'batch_canceled:true']);
      expect(server.stats().batchesCanceled).toBe(1);
      expect(server.stats().batchesCreated).toBe(1);
      expect(events.some((e) => e.kind === 'warning' && /timeoutMs/.test(e.message))).toBe(true);
      const ended = (await readJsonLines(file)).find((l) => l.kind === 'ended');
      expect(ended?.counts).toEqual({ canceled: 2 });
    } finally {
      server.setOptions({ batchPolls: 1 });
    }
  });

  it('a failed lookup of a lost batch is not remembered: the next request looks again and adopts it', async () => {
    server.setOptions({ batchPolls: 1 });
    server.reset();
    // A process that died after its submit: the planned line, a batch at the vendor, no id.
    const lost = await engine('openai', { fetch: failingAfterForward(isCreate, 1) });
    const dir = path.dirname(lost.file);
    // Simulate the crash after the planned line: submit through a model whose journal we then truncate to `planned`.
    await lost.model.generate(request(7));
    await lost.journal.close();
    const lines = await readJsonLines(lost.file);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(dir, 'batches.jsonl'), `${JSON.stringify(lines[0])}\n`);
    const created = server.stats().batchesCreated;
    // The vendor's list fails 5 times in a row (more than one lookup's retries), then works.
    const next = await engine('openai', { fetch: failingAfterForward(isList, 5, false), file: lost.file });
    const first = await next.model.generate(request(7)).then(
      () => 'answered',
      (e: { retryable?: boolean }) => `failed retryable=${e.retryable}`,
    );
    expect(first).toBe('failed retryable=true');
    const second = await next.model.generate(request(7));
    await next.journal.close();
    expect(second.text.length).toBeGreaterThan(0);
    expect(server.stats().batchesCreated).toBe(created);
  });
});
