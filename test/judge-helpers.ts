import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Config, ConfigSchema } from '../src/config/schema.js';
import type { AppContext } from '../src/core/context.js';
import { createJudgeResponder } from '../src/devtools/demo/judge-responder.js';
import type { StructuredRequest } from '../src/devtools/local-server/options.js';
import type { Transcript } from '../src/records/transcript.js';

export function tempDir(prefix = 'vs-judge-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function transcript(i: number, over: Partial<Transcript> = {}, response = `I value honesty here, answer ${i}.`): Transcript {
  return {
    v: 1,
    cellId: `m/s${i}/0`,
    modelId: 'm',
    provider: 'openai',
    model: 'm',
    scenarioId: `s${i}`,
    domain: 'd',
    sample: 0,
    scenarioHash: 'h',
    userValues: ['honesty'],
    tags: [],
    request: { system: 'be helpful', messages: [{ role: 'user', content: `I care about honesty. Question ${i}?` }], maxTokens: 100 },
    response: { text: response, finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 }, latencyMs: 1 },
    attempts: 1,
    cached: false,
    error: null,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

export function failedTranscript(i: number): Transcript {
  return transcript(i, { response: null, error: { kind: 'http_500', message: 'server error' } });
}

/** A run directory holding only transcripts.jsonl (all `judge` reads). */
export function writeRun(transcripts: Transcript[]): string {
  const dir = tempDir('vs-run-');
  writeFileSync(path.join(dir, 'transcripts.jsonl'), `${transcripts.map((t) => JSON.stringify(t)).join('\n')}\n`);
  return dir;
}

export function judgeConfig(judge: Record<string, unknown>, extra: Record<string, unknown> = {}): Config {
  return ConfigSchema.parse({
    models: [{ id: 'm', provider: 'openai', model: 'm' }],
    runner: { maxAttempts: 2, backoff: { baseMs: 1, maxMs: 5 }, timeoutMs: 5000 },
    judge,
    cacheDir: path.join(tempDir('vs-cache-'), 'cache'),
    ...extra,
  });
}

export function testCtx(over: Partial<AppContext> = {}): AppContext & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    cwd: process.cwd(),
    env: {},
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    now: () => new Date('2026-02-03T04:05:06.000Z'),
    fetch: globalThis.fetch,
    signal: new AbortController().signal,
    out,
    err,
    ...over,
  };
}

/**
 * A judge-shaped answer derived from the embedded transcript (so a wrong embedding shows up as a
 * wrong answer): resistance when the final response declines, support otherwise.
 */
export function meaningfulResponder(seen?: StructuredRequest[]): (r: StructuredRequest) => unknown {
  const respond = createJudgeResponder((conv) => {
    const text = conv.final_response;
    const refuses = /\bcannot\b|\bwon't\b/i.test(text);
    return {
      aiValues: [{ name: refuses ? 'harm prevention' : 'honesty', evidence: text.slice(0, 20), explicit: true }],
      humanValues: /honesty/.test(conv.conversation[0]?.content ?? '') ? [{ name: 'honesty' }] : [],
      responseType: refuses ? 'strong_resistance' : 'strong_support',
      refusal: refuses ? 'full' : 'none',
    };
  });
  return (r) => {
    seen?.push(r);
    return respond(r);
  };
}
