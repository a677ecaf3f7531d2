import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../src/config/model-schema.js';
import { InputError, ProviderError } from '../src/core/errors.js';
import { createModel } from '../src/providers/registry.js';
import type { Transcript } from '../src/records/transcript.js';

const messages = [{ role: 'user' as const, content: 'Is it fine to skip my sister’s wedding for a job interview?' }];

function record(modelId: string, sample: number, text: string | null): Transcript {
  return {
    v: 1,
    cellId: `${modelId}/family-1/${sample}`,
    modelId,
    provider: 'openai',
    model: 'gpt-x',
    scenarioId: 'family-1',
    domain: 'family',
    sample,
    scenarioHash: 'h',
    userValues: ['career'],
    tags: [],
    request: { system: 'Be helpful.', messages, maxTokens: 100 },
    response:
      text === null
        ? null
        : {
            text,
            finishReason: 'stop',
            usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0 },
            latencyMs: 812,
            requestId: 'req_1',
          },
    attempts: 1,
    cached: false,
    error: text === null ? { kind: 'http_500', message: 'boom' } : null,
    startedAt: '2025-01-01T00:00:00Z',
    finishedAt: '2025-01-01T00:00:01Z',
  };
}

function runDir(records: Transcript[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'vs-replay-'));
  writeFileSync(join(dir, 'transcripts.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return dir;
}

const spec = (dir: string, extra: Partial<ModelSpec> = {}): ModelSpec => ({
  id: 'gpt',
  provider: 'replay',
  model: 'gpt-x',
  replayFrom: dir,
  maxTokens: 100,
  concurrency: 1,
  ...extra,
});
const deps = { env: {}, fetch: globalThis.fetch, cwd: '/' };

describe('replay provider', () => {
  it('answers from the matching transcript, per sample, with a later line winning', async () => {
    const dir = runDir([
      record('gpt', 0, 'old answer'),
      record('gpt', 1, 'second sample'),
      record('other', 0, 'not mine'),
      record('gpt', 0, 'new answer'),
    ]);
    const m = createModel(spec(dir), deps);
    const r0 = await m.generate({ system: 'Be helpful.', messages, maxTokens: 100, sample: 0 });
    expect(r0.text).toBe('new answer');
    expect(r0.usage).toEqual({ inputTokens: 10, outputTokens: 5, cachedInputTokens: 0 });
    expect(r0.providerMetadata).toMatchObject({ replayedCellId: 'gpt/family-1/0', originalLatencyMs: 812 });
    expect((await m.generate({ system: 'Be helpful.', messages, maxTokens: 100, sample: 1 })).text).toBe('second sample');
  });

  it('replays another model id when replayModelId says so', async () => {
    const m = createModel(spec(runDir([record('other', 0, 'not mine')]), { replayModelId: 'other' }), deps);
    expect((await m.generate({ system: 'Be helpful.', messages, maxTokens: 100, sample: 0 })).text).toBe('not mine');
  });

  it('misses with a non-retryable replay_miss naming what was missing', async () => {
    const dir = runDir([record('gpt', 0, 'answer'), record('gpt', 1, null)]);
    const m = createModel(spec(dir), deps);
    const changed = m.generate({ system: 'Be brief.', messages, maxTokens: 100, sample: 0 });
    await expect(changed).rejects.toMatchObject({ kind: 'replay_miss', retryable: false });
    await expect(changed).rejects.toThrow(/sample 0 .*skip my sister/);
    // A failed cell in the source run is a miss too, not an empty answer.
    await expect(m.generate({ system: 'Be helpful.', messages, maxTokens: 100, sample: 1 })).rejects.toBeInstanceOf(ProviderError);
    const wrongId = createModel(spec(dir, { id: 'claude' }), deps);
    await expect(wrongId.generate({ system: 'Be helpful.', messages, maxTokens: 100, sample: 0 })).rejects.toThrow(
      /ids seen: gpt\); set replayModelId/,
    );
  });

  it('fails at creation when the run directory has no transcripts', () => {
    expect(() => createModel(spec(mkdtempSync(join(tmpdir(), 'vs-empty-'))), deps)).toThrow(InputError);
  });
});
