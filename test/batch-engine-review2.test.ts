import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchEvent } from '../src/calls/batch/batch-events.js';
import { BatchRegistry } from '../src/calls/batch/batch-registry.js';
import { BatchingModel } from '../src/calls/batch/batching-model.js';
import { generateWithRetry } from '../src/calls/model-call.js';
import { ModelSpecSchema } from '../src/config/model-schema.js';
import { systemClock } from '../src/core/clock.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { batchCustomId } from '../src/providers/batch-model.js';
import type { GenerateRequest } from '../src/providers/language-model.js';
import { createBatchModel } from '../src/providers/registry.js';
import { BatchJournal, hasJournaledBatches } from '../src/records/batch-journal.js';
import { readJsonLines } from './fixtures/runner-project.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ seed: 9, batchPolls: 1 });
});
afterAll(() => server.close());

const spec = (id: string) => ModelSpecSchema.parse({ id, provider: 'anthropic', model: 'claude-x', baseURL: server.url, temperature: 1 });
const urlOf = (input: string | URL | Request) => (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
const isCreate = (url: string, init?: RequestInit) => init?.method === 'POST' && /\/batches$/.test(new URL(url).pathname);
const isList = (url: string, init?: RequestInit) => (init?.method ?? 'GET') === 'GET' && /\/batches$/.test(new URL(url).pathname);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bad = () =>
  new Response('{"error":{"type":"api_error","message":"bad gateway"}}', { status: 502, headers: { 'content-type': 'application/json' } });

function request(i: number, signal?: AbortSignal): GenerateRequest {
  return {
    messages: [{ role: 'user', content: `question ${i}` }],
    maxTokens: 50,
    temperature: 1,
    sample: 0,
    batchKey: `cell-${i}`,
    ...(signal ? { signal } : {}),
  };
}

async function engine(id: string, o: { fetch?: typeof fetch; registry?: BatchRegistry | undefined; file?: string; gatherMs?: number }) {
  const file = o.file ?? path.join(await mkdtemp(path.join(tmpdir(), 'vs-rev2-')), 'batches.jsonl');
  const journal = await BatchJournal.open(file);
  const events: BatchEvent[] = [];
  const model = new BatchingModel(createBatchModel(spec(id), { env: {}, fetch: o.fetch ?? fetch, cwd: tmpdir() }), {
    journal,
    registry: o.registry,
    modelId: id,
    settings: { pollMs: 10, gatherMs: o.gatherMs ?? 20 },
    clock: systemClock,
    now: () => new Date(),
    random: Math.random,
    onEvent: (e) => events.push(e),
  });
  return { file, journal, model, events };
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'answered',
    (e: { kind?: string; message?: string }) => `${e.kind}: ${e.message}`,
  );

describe('batch engine: lookups and lost batches (second review)', () => {
  // Engines of one process share a registry (a run's models and judge; a judge panel): separate
  // processes cannot see each other's submits, docs/batch.md says what that leaves open on Anthropic.
  for (const shared of [true]) {
    it('N1 a submit that never reached the vendor does not adopt the batch another engine submits while the list is read', async () => {
      server.reset();
      const registry = shared ? new BatchRegistry() : undefined;
      // a: create answered 502 and NOT forwarded (nothing created); its list call is slow (150 ms).
      const aFetch: typeof fetch = async (input, init) => {
        const url = urlOf(input);
        if (isCreate(url, init)) return bad();
        if (isList(url, init)) await sleep(150);
        return fetch(input, init);
      };
      // b: same size, submits a little later; its create reaches the vendor at once, its answer takes 400 ms.
      const bFetch: typeof fetch = async (input, init) => {
        const url = urlOf(input);
        if (!isCreate(url, init)) return fetch(input, init);
        const r = await fetch(input, init);
        const body = await r.text();
        await sleep(400);
        return new Response(body, { status: r.status, headers: r.headers });
      };
      const a = await engine('a', { fetch: aFetch, registry: shared ? registry : new BatchRegistry() });
      const b = await engine('b', { fetch: bFetch, registry: shared ? registry : new BatchRegistry() });
      const pa = [0, 1].map((i) => outcome(a.model.generate(request(i))));
      await sleep(60);
      const pb = [10, 11].map((i) => outcome(b.model.generate(request(i))));
      const res = await Promise.all([...pa, ...pb]);
      await a.journal.close();
      await b.journal.close();
      const aLines = await readJsonLines(a.file);
      // a's batch was never created: abandoned, not adopted; b's requests are answered from b's batch.
      expect(aLines.some((l) => l.kind === 'submitted' && l.adopted)).toBe(false);
      expect(aLines.map((l) => l.kind)).toEqual(['planned', 'abandoned']);
      expect(res.slice(2)).toEqual(['answered', 'answered']);
      expect(await hasJournaledBatches(a.file)).toBe(false);
    });
  }

  it('N2 a lookup whose list keeps failing stops when its request stops waiting, and says it is retrying', async () => {
    server.reset();
    // A lost batch: planned, never recorded (the process died in its submit); the batch was not created.
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'vs-rev2-')), 'batches.jsonl');
    const j = await BatchJournal.open(file);
    await j.record({
      v: 1,
      kind: 'planned',
      tag: 'vslostsilent1',
      modelId: 'a',
      provider: 'anthropic',
      model: 'claude-x',
      at: new Date().toISOString(),
      items: [{ customId: batchCustomId('vslostsilent1', 0, 0), batchKey: 'cell-0' }],
    });
    await j.close();
    let lists = 0;
    const f: typeof fetch = async (input, init) => {
      if (isList(urlOf(input), init)) {
        lists++;
        return bad();
      }
      return fetch(input, init);
    };
    const a = await engine('a', { fetch: f, file });
    const ctl = new AbortController();
    const p = outcome(a.model.generate(request(0, ctl.signal)));
    setTimeout(() => ctl.abort(new Error('halt (storage failure / --max-cost)')), 200);
    const r = await Promise.race([p, sleep(1500).then(() => 'STILL WAITING after 1.5 s')]);
    expect(r).not.toBe('STILL WAITING after 1.5 s');
    expect(lists).toBeGreaterThan(1);
    expect(a.events.some((e) => e.kind === 'warning' && /looking it up at the provider failed/.test(e.message))).toBe(true);
  });

  it('N3 a batch the vendor no longer knows (404) is journaled abandoned: the judge does not stay in batch mode', async () => {
    server.reset();
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'vs-rev2-')), 'judge-batches.jsonl');
    const j = await BatchJournal.open(file);
    const at = new Date().toISOString();
    await j.record({
      v: 1,
      kind: 'planned',
      tag: 'vsgone000001',
      modelId: 'a',
      provider: 'anthropic',
      model: 'claude-x',
      at,
      items: [{ customId: batchCustomId('vsgone000001', 0, 0), batchKey: 'cell-0' }],
    });
    await j.record({ v: 1, kind: 'submitted', tag: 'vsgone000001', batchId: 'msgbatch_doesnotexist', at });
    await j.close();
    const a = await engine('a', { file });
    const first = await outcome(a.model.generate(request(0)));
    const second = await outcome(a.model.generate(request(0))); // the retry layer's next attempt, same key
    await a.journal.close();
    expect(first).toMatch(/^batch_missing/);
    expect(second).toBe('answered');
    expect(await hasJournaledBatches(file)).toBe(false);
  });
});

describe('batch engine: a failed submit and its lookup', () => {
  it('N2b requests whose submit failed stop waiting through its lookup once their signal aborts', async () => {
    server.reset();
    let lists = 0;
    const f: typeof fetch = async (input, init) => {
      const url = urlOf(input);
      if (isCreate(url, init)) return bad();
      if (isList(url, init)) {
        lists++;
        return bad();
      }
      return fetch(input, init);
    };
    const a = await engine('a', { fetch: f });
    const ctl = new AbortController();
    const p = outcome(a.model.generate(request(0, ctl.signal)));
    setTimeout(() => ctl.abort(new Error('halt')), 200);
    const r = await Promise.race([p, sleep(1500).then(() => 'STILL WAITING after 1.5 s')]);
    expect(r).not.toBe('STILL WAITING after 1.5 s');
    expect(lists).toBeGreaterThan(0);
  });
});

describe('batch engine under the retry layer, as the run loop calls it', () => {
  it('N2c a halted cell (storage failure / --max-cost) waiting on a lost batch lookup returns', async () => {
    server.reset();
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'vs-rev2-')), 'batches.jsonl');
    const j = await BatchJournal.open(file);
    await j.record({
      v: 1,
      kind: 'planned',
      tag: 'vslosthalt01',
      modelId: 'a',
      provider: 'anthropic',
      model: 'claude-x',
      at: new Date().toISOString(),
      items: [{ customId: batchCustomId('vslosthalt01', 0, 0), batchKey: 'cell-0' }],
    });
    await j.close();
    const f: typeof fetch = async (input, init) => (isList(urlOf(input), init) ? bad() : fetch(input, init));
    const a = await engine('a', { fetch: f, file });
    const halt = new AbortController();
    const { signal: _s, ...req } = request(0);
    const p = generateWithRetry(
      a.model,
      req,
      undefined,
      { maxAttempts: 3, baseMs: 10, maxMs: 10, timeoutMs: 2_147_483_647, maxRetryAfterMs: 10 },
      {
        sleep: systemClock.sleep,
        random: Math.random,
        signal: halt.signal,
      },
    ).then((o) => (o.ok ? 'answered' : `failed ${o.error.kind}`));
    setTimeout(() => halt.abort(new Error('EFBIG')), 200);
    const r = await Promise.race([p, sleep(1500).then(() => 'STILL WAITING after 1.5 s')]);
    expect(r).not.toBe('STILL WAITING after 1.5 s');
  });
});

describe('review 2 findings (earlier-round fallback)', () => {
  it('N4 a batch whose results can never be read (404) is asked again in a new batch, not waited on by every round', async () => {
    server.reset();
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'vs-rev2-')), 'batches.jsonl');
    const tag = 'vsdeadres001';
    const items = [{ customId: batchCustomId(tag, 0, 0), batchKey: 'cell-0' }];
    const j = await BatchJournal.open(file);
    const at = new Date().toISOString();
    await j.record({ v: 1, kind: 'planned', tag, modelId: 'a', provider: 'anthropic', model: 'claude-x', at, items });
    const inner = createBatchModel(spec('a'), { env: {}, fetch, cwd: tmpdir() });
    const { signal: _s, batchKey: _k, ...wire } = request(0);
    const { id } = await inner.submit([{ customId: items[0]!.customId, request: wire }], tag);
    await j.record({ v: 1, kind: 'submitted', tag, batchId: id, at });
    await j.close();
    const isResults = (url: string) => /\/results$/.test(new URL(url).pathname);
    const f: typeof fetch = async (input, init) =>
      isResults(urlOf(input))
        ? new Response('{"type":"error","error":{"type":"not_found_error","message":"results expired"}}', {
            status: 404,
            headers: { 'content-type': 'application/json' },
          })
        : fetch(input, init);
    const created = server.stats().batchesCreated;
    const rounds: string[] = [];
    // Each round is a new process (--retry-errors after the previous one recorded the failure).
    for (const key of ['cell-0', 'cell-0#1', 'cell-0#2', 'cell-0#3']) {
      const p = await engine('a', { fetch: f, file });
      rounds.push(`${key} -> ${await outcome(p.model.generate({ ...request(0), batchKey: key }))}`);
      await p.journal.close();
    }
    expect(server.stats().batchesCreated - created).toBeGreaterThan(0);
  });
});

describe('review 2 findings (pickByResults)', () => {
  it('N5 several candidates: a lost batch whose own batch ended is not held back by a foreign one still running', async () => {
    server.reset();
    let own: string | undefined;
    let foreignReads = 0;
    const aFetch: typeof fetch = async (input, init) => {
      const url = urlOf(input);
      if (isCreate(url, init)) {
        own = ((await (await fetch(input, init)).json()) as { id: string }).id;
        return bad();
      }
      if (isList(url, init)) await sleep(150);
      const m = /\/batches\/([^/]+)$/.exec(new URL(url).pathname);
      if (m && (init?.method ?? 'GET') === 'GET' && m[1] !== own) {
        // Another process's batch that keeps running (e.g. a 20-hour batch of a parallel shard).
        foreignReads++;
        const r = await fetch(input, init);
        const body = (await r.json()) as Record<string, unknown>;
        return new Response(JSON.stringify({ ...body, processing_status: 'in_progress', ended_at: null, results_url: null }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      }
      return fetch(input, init);
    };
    const a = await engine('a', { fetch: aFetch });
    const b = await engine('b', {}); // another process (own registry)
    const pa = outcome(a.model.generate(request(0)));
    await sleep(40);
    await b.model.generate(request(5));
    const r = await Promise.race([pa, sleep(1500).then(() => 'STILL WAITING after 1.5 s')]);
    expect(foreignReads).toBeGreaterThan(0);
    expect(r).toBe('answered');
  });
});
