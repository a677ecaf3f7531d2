import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchEvent } from '../src/calls/batch/batch-events.js';
import { BatchRegistry } from '../src/calls/batch/batch-registry.js';
import { BatchingModel } from '../src/calls/batch/batching-model.js';
import { ModelSpecSchema } from '../src/config/model-schema.js';
import { systemClock } from '../src/core/clock.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { batchCustomId } from '../src/providers/batch-model.js';
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
function failingAfterForward(hit: (url: string, init?: RequestInit) => boolean, times: number, forward = true, status = 502): typeof fetch {
  let left = times;
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!hit(url, init) || left <= 0) return fetch(input, init);
    left--;
    if (forward) await (await fetch(input, init)).arrayBuffer();
    return new Response(JSON.stringify({ error: { type: status === 403 ? 'permission_error' : 'api_error', message: 'refused' } }), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
}

function request(i: number): GenerateRequest {
  return { messages: [{ role: 'user', content: `question ${i}` }], maxTokens: 50, temperature: 1, sample: 0, batchKey: `cell-${i}` };
}

interface EngineOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  file?: string;
  registry?: BatchRegistry;
  journal?: BatchJournal;
  modelId?: string;
}

async function engine(vendor: 'anthropic' | 'openai', o: EngineOptions = {}) {
  const file = o.file ?? path.join(await mkdtemp(path.join(tmpdir(), 'vs-batchf-')), 'batches.jsonl');
  const journal = o.journal ?? (await BatchJournal.open(file));
  const events: BatchEvent[] = [];
  const spec = specOf(vendor);
  const model = new BatchingModel(createBatchModel(spec, { env: {}, fetch: o.fetch ?? fetch, cwd: tmpdir() }), {
    journal,
    registry: o.registry,
    modelId: o.modelId ?? spec.id,
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

  it('a lookup failing transiently is retried until it answers; one failing hard is not remembered', async () => {
    server.setOptions({ batchPolls: 1 });
    server.reset();
    const file = await lostBatch('openai', 'o', [7], 'vslostlookup1');
    const created = server.stats().batchesCreated;
    // The vendor's list fails 6 times in a row (502): the lookup waits it out and adopts the batch.
    const next = await engine('openai', { fetch: failingAfterForward(isList, 6, false), file });
    expect((await next.model.generate(request(7))).text.length).toBeGreaterThan(0);
    await next.journal.close();
    expect(server.stats().batchesCreated).toBe(created);

    const file2 = await lostBatch('openai', 'o', [8], 'vslostlookup2');
    const hard = await engine('openai', { fetch: failingAfterForward(isList, 1, false, 403), file: file2 });
    const first = await hard.model.generate(request(8)).then(
      () => 'answered',
      (e: { kind?: string }) => `failed ${e.kind}`,
    );
    expect(first).toBe('failed auth');
    expect((await hard.model.generate(request(8))).text.length).toBeGreaterThan(0);
    await hard.journal.close();
    expect(server.stats().batchesCreated).toBe(created + 1);
  });

  it('results that fail to download many times are waited for, never asked for again in a new batch', async () => {
    server.setOptions({ batchPolls: 1 });
    server.reset();
    const isResults = (url: string) => /\/results$|\/content$/.test(new URL(url).pathname);
    for (const vendor of ['anthropic', 'openai'] as const) {
      const { journal, model } = await engine(vendor, { fetch: failingAfterForward(isResults, 12, false) });
      expect((await model.generate(request(1))).text.length).toBeGreaterThan(0);
      await journal.close();
    }
    expect(server.stats().batchesCreated).toBe(2);
    expect(Math.max(...Object.values(server.stats().batchItemsByRequest))).toBe(1);
  });

  it("a re-attempt's new key still waits for the earlier round's batch when that batch never ended", async () => {
    server.setOptions({ batchPolls: 1 });
    server.reset();
    // The earlier process recorded cell-0 as failed (it could not read its batch), the batch went on.
    const file = await lostBatch('openai', 'o', [0], 'vsround00001', true);
    const created = server.stats().batchesCreated;
    const { journal, model } = await engine('openai', { file });
    expect((await model.generate({ ...request(0), batchKey: 'cell-0#1' })).text.length).toBeGreaterThan(0);
    await journal.close();
    expect(server.stats().batchesCreated).toBe(created);
  });

  it('anthropic: two models whose same-size batches were both lost in their submit each get their own (told apart by results)', async () => {
    server.setOptions({ batchPolls: 1 });
    server.reset();
    const file = await lostBatch('anthropic', 'a', [0, 1], 'vstwinsA0001');
    await lostBatch('anthropic', 'b', [2, 3], 'vstwinsB0001', false, file);
    const created = server.stats().batchesCreated;
    const registry = new BatchRegistry();
    const a = await engine('anthropic', { file, registry });
    const b = await engine('anthropic', { file, registry, journal: a.journal, modelId: 'b' });
    const answers = await Promise.all([
      a.model.generate(request(0)),
      a.model.generate(request(1)),
      b.model.generate(request(2)),
      b.model.generate(request(3)),
    ]);
    await a.journal.close();
    expect(answers.every((r) => r.text.length > 0)).toBe(true);
    expect(server.stats().batchesCreated).toBe(created);
    expect(Math.max(...Object.values(server.stats().batchItemsByRequest))).toBe(1);
  });

  it('anthropic: a 502 after accept while another model submits a batch of the same size adopts its own batch', async () => {
    server.setOptions({ batchPolls: 1 });
    server.reset();
    const registry = new BatchRegistry();
    let creates = 0;
    // Only model a's create (the first) fails after the vendor accepted it.
    const aFetch: typeof fetch = async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!isCreate(url, init) || creates++ > 0) return fetch(input, init);
      await (await fetch(input, init)).arrayBuffer();
      return new Response('{"error":{"type":"api_error","message":"bad gateway"}}', {
        status: 502,
        headers: { 'content-type': 'application/json' },
      });
    };
    const a = await engine('anthropic', { fetch: aFetch, registry });
    const b = await engine('anthropic', { registry, modelId: 'b' });
    const answers = await Promise.all([0, 1, 2].flatMap((i) => [a.model.generate(request(i)), b.model.generate(request(10 + i))]));
    await a.journal.close();
    await b.journal.close();
    expect(answers.every((r) => r.text.length > 0)).toBe(true);
    expect(server.stats().batchesCreated).toBe(2);
    expect(Math.max(...Object.values(server.stats().batchItemsByRequest))).toBe(1);
    expect((await readJsonLines(a.file)).map((l) => l.kind)).toEqual(['planned', 'submitted', 'ended']);
  });
});

/**
 * What a process killed during its submit leaves: a planned line in the journal (and, with
 * `recorded`, the batch id too), and the batch at the vendor. Returns the journal file.
 */
async function lostBatch(vendor: 'anthropic' | 'openai', modelId: string, cells: number[], tag: string, recorded = false, file?: string) {
  const journalFile = file ?? path.join(await mkdtemp(path.join(tmpdir(), 'vs-batchf-')), 'batches.jsonl');
  const spec = specOf(vendor);
  const items = cells.map((c, i) => ({ customId: batchCustomId(tag, i, 0), batchKey: request(c).batchKey! }));
  const journal = await BatchJournal.open(journalFile);
  const at = new Date().toISOString();
  await journal.record({ v: 1, kind: 'planned', tag, modelId, provider: spec.provider, model: spec.model, at, items });
  const inner = createBatchModel(spec, { env: {}, fetch, cwd: tmpdir() });
  const { id } = await inner.submit(
    cells.map((c, i) => {
      const { batchKey: _k, signal: _s, ...wire } = request(c);
      return { customId: items[i]!.customId, request: wire };
    }),
    tag,
  );
  if (recorded) await journal.record({ v: 1, kind: 'submitted', tag, batchId: id, at });
  await journal.close();
  return journalFile;
}
