import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_KEY_ENV, writeWorkload } from '../bench/lib/workload.js';
import { type LocalServer, startLocalServer } from '../src/devtools/local-server/server.js';
import { runCli } from './helpers/cli.js';

const KEY = 'sk-test-echoed-0123456789abcdef';
const PASSWORD = 'hunter2-in-the-url-77';
let server: LocalServer;
beforeAll(async () => {
  // A careless server: it echoes the presented key in its request ids, its answers and its errors.
  server = await startLocalServer({ seed: 9, echoKey: true, errorRate: 0.3 });
});
afterAll(() => server.close());

async function everyFile(dir: string): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    out.push({ file, text: await readFile(file, 'latin1') });
  }
  return out;
}

describe('no secret in any byte written', () => {
  it('a server echoing the key and a password in a base URL: run, judge, caches, report, stdout and stderr hold neither', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vs-secrets-'));
    const w = await writeWorkload({
      dir,
      baseURL: `${server.url}/v1`,
      scenarios: 8,
      samples: 2,
      concurrency: 4,
      maxAttempts: 2,
      cache: 'development',
      llmJudge: { baseURL: `${server.url}/v1`, concurrency: 4, pipelined: true },
    });
    // A second model whose base URL carries credentials (user-info), as some gateways are configured.
    const withPassword = server.url.replace('http://', `http://user:${PASSWORD}@`);
    const cfg = (await readFile(w.configPath, 'utf8')).replace(
      'models:\n',
      `models:\n  - id: gateway-model\n    provider: openai\n    model: bench-model\n    baseURL: ${withPassword}/v1\n    apiKeyEnv: ${BENCH_KEY_ENV}\n    maxTokens: 64\n`,
    );
    await (await import('node:fs/promises')).writeFile(w.configPath, cfg);
    const env = { [BENCH_KEY_ENV]: KEY };
    const run = await runCli(['run', '--config', w.configPath, '--out', w.outDir], { cwd: dir, env });
    expect([0, 3]).toContain(run.code);
    const runDir = path.join(w.outDir, (await readdir(w.outDir))[0]!);
    // The server did echo: the secret reached valuescope, so the scrub is what keeps it out.
    expect(server.stats().requests).toBeGreaterThan(30);
    const judge = await runCli(['judge', runDir, '--config', w.configPath, '--force'], { cwd: dir, env });
    const report = await runCli(['report', runDir], { cwd: dir, env });
    const files = await everyFile(dir);
    expect(files.some((f) => f.file.endsWith('transcripts.jsonl'))).toBe(true);
    expect(files.some((f) => f.file.endsWith('report.html'))).toBe(true);
    expect(files.some((f) => f.file.includes(`${path.sep}cache${path.sep}`))).toBe(true);
    expect(files.some((f) => f.text.includes('[redacted]'))).toBe(true);
    for (const f of files) {
      if (f.file === w.configPath) continue; // the user's own config holds the URL they wrote
      expect(f.text, f.file).not.toContain(KEY);
      expect(f.text, f.file).not.toContain(PASSWORD);
    }
    for (const out of [run, judge, report]) {
      expect(out.stdout + out.stderr).not.toContain(KEY);
      expect(out.stdout + out.stderr).not.toContain(PASSWORD);
    }
  });
});
