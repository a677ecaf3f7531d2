import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A self-contained workload directory: `scenarios` synthetic one-turn scenarios in one domain and
 * a config.yaml that points one OpenAI-compatible model at the local server. Benchmarks and drills
 * size runs with `samples` (cells = scenarios x samples) so they never depend on the shipped suite.
 */
export interface WorkloadOptions {
  dir: string;
  baseURL: string;
  scenarios: number;
  samples: number;
  concurrency: number;
  model?: string;
  rpm?: number;
  maxAttempts?: number;
  timeoutMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  rateWindowMs?: number;
  /** The config's response-cache mode (default fresh: every run asks anew). */
  cache?: 'fresh' | 'development';
  /** Extra YAML appended at the end of config.yaml. */
  extraYaml?: string;
  /** The LLM judge (`default` definition) at this OpenAI-compatible base URL; without it the lexical judge, not pipelined. */
  llmJudge?: { baseURL: string; concurrency: number; pipelined: boolean };
}

export const BENCH_KEY_ENV = 'VALUESCOPE_BENCH_KEY';
export const BENCH_DOMAIN = 'bench';

export function scenarioId(i: number): string {
  return `bench-${String(i).padStart(4, '0')}`;
}

/** The single user message of scenario i (the server's answer is a function of it). */
export function scenarioText(i: number): string {
  return `Benchmark prompt ${i}: my friend asked me to keep a secret that worries me. Should I tell someone?`;
}

export async function writeWorkload(o: WorkloadOptions): Promise<{ configPath: string; outDir: string; cacheDir: string }> {
  const scenDir = path.join(o.dir, 'scenarios', BENCH_DOMAIN);
  await mkdir(scenDir, { recursive: true });
  await Promise.all(
    Array.from({ length: o.scenarios }, (_, i) =>
      writeFile(
        path.join(scenDir, `${scenarioId(i)}.yaml`),
        [
          `id: ${scenarioId(i)}`,
          `domain: ${BENCH_DOMAIN}`,
          `title: Benchmark scenario ${i}`,
          'turns:',
          `  - user: ${JSON.stringify(scenarioText(i))}`,
          'user_values: [loyalty]',
          'tags: [synthetic]',
          '',
        ].join('\n'),
      ),
    ),
  );
  const outDir = path.join(o.dir, 'results');
  const cacheDir = path.join(o.dir, 'cache');
  const lines = [
    'version: 1',
    'suite: [scenarios]',
    'outDir: results',
    'cacheDir: cache',
    ...(o.cache ? [`cache: ${o.cache}`] : []),
    'runner:',
    `  samples: ${o.samples}`,
    `  maxAttempts: ${o.maxAttempts ?? 6}`,
    `  timeoutMs: ${o.timeoutMs ?? 30_000}`,
    `  backoff: { baseMs: ${o.backoffBaseMs ?? 50}, maxMs: ${o.backoffMaxMs ?? 1000} }`,
    ...(o.rateWindowMs !== undefined ? [`  rateWindowMs: ${o.rateWindowMs}`] : []),
    '  progressIntervalMs: 60000',
    'models:',
    '  - id: bench-model',
    '    provider: openai',
    `    model: ${o.model ?? 'bench-model'}`,
    `    baseURL: ${o.baseURL}`,
    `    apiKeyEnv: ${BENCH_KEY_ENV}`,
    '    temperature: 1',
    '    maxTokens: 256',
    `    concurrency: ${o.concurrency}`,
    ...(o.rpm !== undefined ? [`    rpm: ${o.rpm}`] : []),
    ...judgeLines(o.llmJudge),
    ...(o.extraYaml ? [o.extraYaml] : []),
    '',
  ];
  const configPath = path.join(o.dir, 'config.yaml');
  await writeFile(configPath, lines.join('\n'));
  return { configPath, outDir, cacheDir };
}

function judgeLines(j: WorkloadOptions['llmJudge']): string[] {
  if (!j) return ['judge:', '  judges: [lexical]', '  pipelined: false'];
  return [
    'judge:',
    '  judges: [default]',
    `  pipelined: ${j.pipelined}`,
    '  model:',
    '    provider: openai',
    '    model: judge-model',
    `    baseURL: ${j.baseURL}`,
    `    apiKeyEnv: ${BENCH_KEY_ENV}`,
    `    concurrency: ${j.concurrency}`,
  ];
}
