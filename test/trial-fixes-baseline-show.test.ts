import { promises as fsp, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeSyntheticRun } from '../src/devtools/simulate/write-synthetic-run.js';
import { type Manifest, ManifestSchema } from '../src/records/manifest.js';
import { runCli } from './helpers/cli.js';

/** `baseline show` of a variant target (a new-user trial): it says which variant, prompt and headers the file holds. */
let dir: string;
const cli = (argv: string[]) => runCli(argv, { cwd: dir, env: {} });
const SYSTEM_HASH = 'ab12cd34ef56'.padEnd(64, '0');

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vs-trial-baseline-'));
  const common = { scenarioSeed: 4, domains: 2, scenariosPerDomain: 4, samples: 2, watchRate: 0 };
  await writeSyntheticRun(path.join(dir, 'run'), [
    { ...common, seed: 1, modelId: 'assistant@old-prompt' },
    { ...common, seed: 2, modelId: 'plain' },
  ]);
  // The synthetic manifest has no target settings: give the variant those `run` records.
  const file = path.join(dir, 'run', 'manifest.json');
  const m: Manifest = ManifestSchema.parse(JSON.parse(await fsp.readFile(file, 'utf8')));
  m.models = m.models.map((x) =>
    x.id === 'assistant@old-prompt'
      ? {
          ...x,
          temperature: 1,
          topP: 0.9,
          entry: 'assistant',
          variant: 'old-prompt',
          systemHash: SYSTEM_HASH,
          systemCombine: 'replace',
          headerNames: ['x-team', 'x-trace'],
          headersHash: 'f'.repeat(64),
        }
      : x,
  );
  await fsp.writeFile(file, JSON.stringify(m, null, 2));
  for (const t of ['assistant@old-prompt', 'plain']) {
    const r = await cli(['baseline', 'save', `run#${t}`, '--out', `b/${t.replace('@', '-')}.json`]);
    expect(r.code, r.stderr).toBe(0);
  }
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('shows the variant, its entry, the system prompt hash and combine mode, and the header names', async () => {
  const r = await cli(['baseline', 'show', 'b/assistant-old-prompt.json']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/ {2}model {5}\S+ \S+, temperature 1, topP 0\.9, maxTokens \d+\n/);
  expect(r.stdout).toContain(
    '  target    variant old-prompt of entry assistant; system prompt sha256 ab12cd34ef56 (replace); headers x-team, x-trace\n',
  );
  // Never a header value or the whole hash.
  expect(r.stdout).not.toContain(SYSTEM_HASH);
  expect(r.stdout).not.toContain('f'.repeat(12));
});

it('prints no target line for a plain target', async () => {
  const r = await cli(['baseline', 'show', 'b/plain.json']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/ {2}model {5}/);
  expect(r.stdout).not.toMatch(/ {2}target {4}/);
});
