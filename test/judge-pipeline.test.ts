import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { JudgmentSchema } from '../src/records/judgment.js';
import { TranscriptSchema } from '../src/records/transcript.js';
import { meaningfulResponder, tempDir, testCtx } from './judge-helpers.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({ structuredResponder: meaningfulResponder() });
});
afterAll(async () => server.close());

function readLines<T>(file: string, parse: (x: unknown) => T): T[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => parse(JSON.parse(l)));
}

describe('pipelined judging in `valuescope run`, then `valuescope judge`', () => {
  it('judges every transcript while the run goes, and `judge` afterwards has nothing left to do', async () => {
    const dir = tempDir('vs-pipe-');
    const suite = path.resolve('scenarios/moral-philosophy');
    writeFileSync(
      path.join(dir, 'config.yaml'),
      `${[
        `suite: [${JSON.stringify(suite)}]`,
        'runner: { samples: 1, maxAttempts: 2, timeoutMs: 5000, backoff: { baseMs: 1, maxMs: 5 } }',
        'models:',
        `  - { id: local-a, provider: anthropic, model: local-a, baseURL: "${server.url}" }`,
        `  - { id: local-o, provider: openai, model: local-o, baseURL: "${server.url}/v1" }`,
        'judge:',
        '  judges: [default]',
        `  model: { provider: openai, model: judge-o, baseURL: "${server.url}/v1" }`,
      ].join('\n')}\n`,
    );
    const ctx = testCtx({ cwd: dir });
    const code = await main(['run', '--config', 'config.yaml'], ctx);
    expect(ctx.err.join('')).toContain('Judging as transcripts arrive with default@1');
    expect(code).toBe(0);
    const runDir = path.join(dir, 'results', readdirSync(path.join(dir, 'results'))[0]!);
    const transcripts = readLines(path.join(runDir, 'transcripts.jsonl'), (x) => TranscriptSchema.parse(x));
    const judgments = readLines(path.join(runDir, 'judgments.jsonl'), (x) => JudgmentSchema.parse(x));
    expect(transcripts.length).toBeGreaterThan(10);
    expect(judgments.map((j) => j.cellId).sort()).toEqual(transcripts.map((t) => t.cellId).sort());
    expect(judgments.every((j) => j.error === null && j.judgeModels[0] === 'openai:judge-o')).toBe(true);
    expect(ctx.out.join('')).toMatch(/mapping coverage: \d+\.\d% of \d+ values mapped/);

    const again = testCtx({ cwd: dir });
    const before = server.stats().requests;
    expect(await main(['judge', runDir, '--config', 'config.yaml'], again)).toBe(0);
    expect(server.stats().requests).toBe(before);
    expect(readLines(path.join(runDir, 'judgments.jsonl'), (x) => x)).toHaveLength(transcripts.length);

    const other = testCtx({ cwd: dir });
    expect(await main(['judge', runDir, '--config', 'config.yaml', '--judge', 'lexical-missing'], other)).toBe(2);
    expect(other.err.join('')).toMatch(/no judge named "lexical-missing"/);
  });
});
