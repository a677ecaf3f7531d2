import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResponseCache, requestKeyParts } from '../src/calls/response-cache.js';
import type { Manifest } from '../src/records/manifest.js';
import { newRunId, RunStore, readManifest } from '../src/records/run-store.js';
import type { Transcript } from '../src/records/transcript.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vs-runner-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const model = { provider: 'openai', model: 'gpt-x', baseURL: 'https://user:sk-secret@gw.example/v1?api_key=sk-secret' };
const request = { system: 'be kind', messages: [{ role: 'user' as const, content: 'hi' }], temperature: 1, maxTokens: 100 };

describe('ResponseCache', () => {
  it('keys differ by sample index, model and request, and ignore key order', () => {
    const cache = new ResponseCache(dir);
    const k0 = cache.keyFor(requestKeyParts(model, request, 0));
    expect(k0).toMatch(/^[0-9a-f]{64}$/);
    expect(cache.keyFor(requestKeyParts(model, request, 1))).not.toBe(k0);
    expect(cache.keyFor(requestKeyParts({ ...model, model: 'gpt-y' }, request, 0))).not.toBe(k0);
    expect(cache.keyFor(requestKeyParts(model, { ...request, temperature: 0.5 }, 0))).not.toBe(k0);
    expect(cache.keyFor(requestKeyParts(model, { ...request, topP: 0.9 }, 0))).not.toBe(k0);
    const reordered = { maxTokens: 100, temperature: 1, messages: [{ content: 'hi', role: 'user' as const }], system: 'be kind' };
    expect(cache.keyFor(requestKeyParts(model, reordered, 0))).toBe(k0);
    // The sample travels as a separate key part; a `sample` field on the request does not change the key.
    expect(cache.keyFor(requestKeyParts(model, { ...request, sample: 7 }, 0))).toBe(k0);
  });

  it('never puts credentials from the base URL into a key', () => {
    const parts = JSON.stringify(requestKeyParts(model, request, 0));
    expect(parts).not.toContain('sk-secret');
    expect(parts).toContain('https://gw.example/v1');
  });

  it('stores atomically in sharded folders and reads back; misses are undefined', async () => {
    const cache = new ResponseCache(dir);
    const key = cache.keyFor({ a: 1 });
    expect(await cache.get(key)).toBeUndefined();
    await cache.put(key, { text: 'hello' });
    expect(await cache.get(key)).toEqual({ text: 'hello' });
    expect(await readdir(path.join(dir, key.slice(0, 2)))).toEqual([`${key}.json`]);
    await writeFile(path.join(dir, key.slice(0, 2), `${key}.json`), '{"torn');
    expect(await cache.get(key)).toBeUndefined();
  });
});

function manifest(runId: string): Manifest {
  return {
    v: 1,
    runId,
    status: 'running',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: null,
    harnessVersion: '0.1.0',
    configHash: 'c',
    suiteHash: 's',
    scenarios: { a: 'h' },
    samples: 1,
    models: [{ id: 'm', provider: 'openai', model: 'gpt-x', maxTokens: 10, concurrency: 1 }],
    counts: { planned: 3, done: 0, errored: 0 },
    notes: [],
  };
}

function transcript(cellId: string, error = false): Transcript {
  return {
    v: 1,
    cellId,
    modelId: 'm',
    provider: 'openai',
    model: 'gpt-x',
    scenarioId: 'a',
    domain: 'd',
    sample: 0,
    scenarioHash: 'h',
    userValues: [],
    tags: [],
    request: { messages: [{ role: 'user', content: 'hi' }], maxTokens: 10 },
    response: error
      ? null
      : { text: 'x', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 }, latencyMs: 1 },
    attempts: 1,
    cached: false,
    error: error ? { kind: 'http_500', message: 'boom', status: 500 } : null,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
  };
}

const lock = { command: 'test', now: () => new Date('2026-12-05T12:03:00Z') };

describe('RunStore', () => {
  it('makes sortable run ids', () => {
    const id = newRunId(new Date('2026-11-24T10:15:03.456Z'), () => 0.5);
    expect(id).toBe('2026-11-24T10-15-03Z-8000');
  });

  it('drops and repairs a torn last line on open, then appends cleanly', async () => {
    const store = await RunStore.create(dir, manifest('r1'), lock);
    await store.append(transcript('m/a/0'));
    await store.append(transcript('m/a/1', true));
    await store.close();
    const file = path.join(dir, 'r1', 'transcripts.jsonl');
    await appendFile(file, JSON.stringify(transcript('m/a/2')).slice(0, 40)); // kill -9 mid-write
    const opened = await RunStore.open(path.join(dir, 'r1'), lock);
    expect([...opened.finished.cells.entries()]).toEqual([
      ['m/a/0', { errored: false, failures: 0 }],
      ['m/a/1', { errored: true, failures: 1 }],
    ]);
    expect(opened.finished.tornBytes).toBe(40);
    await opened.store.append(transcript('m/a/2'));
    await opened.store.close();
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l).cellId)).toEqual(['m/a/0', 'm/a/1', 'm/a/2']);
  });

  it('rewrites the manifest atomically and validates it on read', async () => {
    const store = await RunStore.create(dir, manifest('r2'), lock);
    await store.writeManifest({ ...manifest('r2'), status: 'completed' });
    await store.close();
    expect((await readManifest(path.join(dir, 'r2'))).status).toBe('completed');
    expect(await readdir(path.join(dir, 'r2'))).toEqual(['manifest.json', 'transcripts.jsonl']);
    await expect(readManifest(dir)).rejects.toThrow(/no manifest.json here/);
  });
});
