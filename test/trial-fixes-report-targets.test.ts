import { promises as fsp, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeSyntheticRun } from '../src/devtools/simulate/write-synthetic-run.js';
import { type Manifest, ManifestSchema } from '../src/records/manifest.js';
import { runCli } from './helpers/cli.js';

/**
 * A diff of two variants of one run (a new-user trial): report.md's provenance said only "Run X
 * (both sides)"; it must tell the two targets' settings apart, as report.html's table does.
 */
let dir: string;
const cli = (argv: string[]) => runCli(argv, { cwd: dir, env: {}, now: () => new Date('2026-01-02T00:00:00Z') });
const OLD_HASH = 'aaaa1111bbbb'.padEnd(64, '2');
const NEW_HASH = 'cccc3333dddd'.padEnd(64, '4');

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vs-trial-report-'));
  const common = { scenarioSeed: 4, domains: 2, scenariosPerDomain: 8, samples: 3, watchRate: 0 };
  await writeSyntheticRun(path.join(dir, 'run'), [
    { ...common, seed: 1, modelId: 'assistant@old-prompt' },
    { ...common, seed: 2, modelId: 'assistant@new-prompt' },
  ]);
  const file = path.join(dir, 'run', 'manifest.json');
  const m: Manifest = ManifestSchema.parse(JSON.parse(await fsp.readFile(file, 'utf8')));
  const variant = (x: Manifest['models'][number], name: string, systemHash: string) => ({
    ...x,
    model: 'claude-sonnet-5-5',
    temperature: 1,
    maxTokens: 512,
    entry: 'assistant',
    variant: name,
    systemHash,
  });
  m.models = [
    { ...variant(m.models[0]!, 'old-prompt', OLD_HASH), systemCombine: 'prepend' as const },
    {
      ...variant(m.models[1]!, 'new-prompt', NEW_HASH),
      systemCombine: 'replace' as const,
      headerNames: ['x-team'],
      headersHash: 'e'.repeat(64),
    },
  ];
  await fsp.writeFile(file, JSON.stringify(m, null, 2));
  // The same targets run again: a second run whose settings equal the first's.
  await fsp.cp(path.join(dir, 'run'), path.join(dir, 'run2'), { recursive: true });
  await fsp.writeFile(path.join(dir, 'run2', 'manifest.json'), JSON.stringify({ ...m, runId: 'run2' }, null, 2));
  const r = await cli(['diff', 'run#assistant@old-prompt', 'run#assistant@new-prompt', '--out', 'rep']);
  expect(r.code, r.stderr).toBe(0);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** report.md's Provenance section, up to the next heading. */
function provenanceOf(md: string): string {
  const rest = md.slice(md.indexOf('\n', md.indexOf('### Provenance')));
  const next = rest.search(/^#/m);
  return next === -1 ? rest : rest.slice(0, next);
}

it("report.md's provenance gives each side's target settings: wire model, parameters, system prompt hash and combine, headers", async () => {
  const md = await fsp.readFile(path.join(dir, 'rep', 'report.md'), 'utf8');
  const section = provenanceOf(md);
  if (process.env.VALUESCOPE_SHOW_PROVENANCE) process.stdout.write(`\n${section}\n`);
  expect(section).toMatch(/Run run \(both sides\)/);
  const line = (variantName: string) => section.split('\n').find((l) => l.startsWith('- ') && l.includes(`@${variantName}`)) ?? '';
  expect(line('old-prompt')).toMatch(
    /^- assistant@old-prompt\S*: \S+:claude-sonnet-5-5, temperature 1, max 512 tokens, system prompt sha256 aaaa1111bbbb \(prepend\)$/,
  );
  expect(line('new-prompt')).toMatch(
    /^- assistant@new-prompt\S*: \S+:claude-sonnet-5-5, temperature 1, max 512 tokens, system prompt sha256 cccc3333dddd \(replace\), headers x-team$/,
  );
  // Hashes shortened, header values never there.
  expect(md).not.toContain(OLD_HASH);
  expect(md).not.toContain('e'.repeat(12));
});

it('a side whose settings equal the other’s adds no lines: same-settings diffs stay as short as before', async () => {
  const r = await cli(['diff', 'run#assistant@old-prompt', 'run2#assistant@old-prompt', '--out', 'same']);
  expect(r.code, r.stderr).toBe(0);
  const md = await fsp.readFile(path.join(dir, 'same', 'report.md'), 'utf8');
  const section = provenanceOf(md);
  expect(section).toMatch(/Runs run → run2/);
  expect(section).not.toMatch(/^- /m);
});
