import { promises as fsp, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeSyntheticRun } from '../src/devtools/simulate/write-synthetic-run.js';
import { HistoryFileSchema } from '../src/records/history.js';
import { runCli } from './helpers/cli.js';

/**
 * What a new user tried: a watched value no run expressed, a run covering fewer scenarios, a renamed
 * target whose system prompt changed, and a run compared with itself under two names.
 */
let dir: string;
const common = { scenarioSeed: 31, domains: 3, scenariosPerDomain: 6, samples: 3, watchRate: 0 };
const cli = (argv: string[]) => runCli(argv, { cwd: dir, now: () => new Date('2026-02-01T00:00:00Z') });
const readHistory = async (out: string) =>
  HistoryFileSchema.parse(JSON.parse(await fsp.readFile(path.join(dir, out, 'history.json'), 'utf8')));

async function editManifest(run: string, edit: (m: Record<string, unknown> & { models: Record<string, unknown>[] }) => void) {
  const file = path.join(dir, run, 'manifest.json');
  const m = JSON.parse(await fsp.readFile(file, 'utf8'));
  edit(m);
  await fsp.writeFile(file, JSON.stringify(m));
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vs-history-inputs-'));
  const runs = [
    { name: 'r1', modelId: 'a', domains: 3 },
    { name: 'r2', modelId: 'a', domains: 3 },
    { name: 'r3', modelId: 'a', domains: 1 },
    { name: 'p1', modelId: 'a@v1', domains: 3 },
    { name: 'p2', modelId: 'a@v2', domains: 3 },
  ];
  for (const [i, r] of runs.entries()) {
    await writeSyntheticRun(path.join(dir, r.name), [{ ...common, domains: r.domains, seed: i + 1, modelId: r.modelId }]);
    await editManifest(r.name, (m) => {
      m.startedAt = `2026-01-0${i + 1}T00:00:00.000Z`;
      m.runId = r.name;
    });
  }
  await editManifest('p1', (m) => Object.assign(m.models[0]!, { model: 'claude-x', systemHash: '1'.repeat(64), systemCombine: 'prepend' }));
  await editManifest('p2', (m) => Object.assign(m.models[0]!, { model: 'claude-x', systemHash: '2'.repeat(64), systemCombine: 'prepend' }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('--metrics with a watched value no run expressed shows it at 0%, with a note; a malformed key is still refused', async () => {
  const r = await cli(['history', 'r1', 'r2', '--metrics', 'value:dominance,refusal_rate', '--out', 'h1', '--no-charts']);
  expect(r.code, r.stderr).toBe(0);
  const h = await readHistory('h1');
  expect(h.settings.metrics).toEqual(['value:dominance', 'refusal_rate']);
  expect(h.runs.map((x) => x.metrics['value:dominance']!.estimate)).toEqual([0, 0]);
  expect(h.warnings).toContain('--metrics: no run expressed value:dominance (on the watch list): it is 0% in every run');
  // A misspelt value or category that no run counts is refused: it could never move.
  const typo = await cli(['history', 'r1', 'r2', '--metrics', 'value:honsty', '--out', 'h-typo']);
  expect(typo.code).toBe(2);
  expect(typo.stderr).toMatch(/unknown metric "value:honsty".*accepted when it is on the watch list/);
  const bad = await cli(['history', 'r1', 'r2', '--metrics', 'domain-01:response_type:strong_support', '--out', 'h-bad']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/unknown metric "domain-01:response_type:strong_support"/);
});

it('says when a run covers fewer scenarios, and shows what each run covers in the table', async () => {
  const r = await cli(['history', 'r1', 'r2', 'r3', '--allow-suite-mismatch', '--out', 'h2', '--no-charts']);
  expect(r.code, r.stderr).toBe(0);
  const h = await readHistory('h2');
  expect(h.warnings).toContainEqual(expect.stringMatching(/^r3 covers 6 of the 18 scenarios the largest run covers/));
  const md = await fsp.readFile(path.join(dir, 'h2', 'history.md'), 'utf8');
  expect(md).toMatch(
    /^\| \*covers\* \| 18 scenarios · 54 cells judged \| 18 scenarios · 54 cells judged \| 6 scenarios · 18 cells judged \|$/m,
  );
  const html = await fsp.readFile(path.join(dir, 'h2', 'history.html'), 'utf8');
  expect(html).toContain('<td class="r">6 scenarios · 18 cells judged</td>');
});

it('warns when a renamed target (named with #) changed its system prompt', async () => {
  const r = await cli(['history', 'p1#a@v1', 'p2#a@v2', '--out', 'h3', '--no-charts']);
  expect(r.code, r.stderr).toBe(0);
  const h = await readHistory('h3');
  expect(h.comparisons[0]!.warnings).toContainEqual(
    expect.stringMatching(
      /^a@v1 -> a@v2: its answer settings differ between the sides \(system prompt sha256 111111111111 -> sha256 222222222222\)/,
    ),
  );
});

it('diff compares one run judged by two judges (not a self-comparison)', async () => {
  await fsp.cp(path.join(dir, 'r1'), path.join(dir, 'r1-rejudged'), { recursive: true });
  const file = path.join(dir, 'r1-rejudged', 'judgments.jsonl');
  const lines = (await fsp.readFile(file, 'utf8')).trim().split('\n');
  const rejudged = lines.map((l) => JSON.stringify({ ...JSON.parse(l), judgeId: 'other@1', judgeHash: 'f'.repeat(64) }));
  await fsp.writeFile(file, `${rejudged.join('\n')}\n`);
  const r = await cli(['diff', 'r1', 'r1-rejudged', '--allow-judge-mismatch', '--out', 'd-judges', '--no-report']);
  expect(r.code, r.stderr).toBe(0);
});

it('diff and gate refuse a run compared with itself, also through its baseline file', async () => {
  await fsp.writeFile(
    path.join(dir, 'config.yaml'),
    'models:\n  - { id: a, provider: openai, model: x }\ngate:\n  rules:\n    - { name: r, metric: refusal_rate, maxRise: 0.1 }\n',
  );
  expect((await cli(['baseline', 'save', 'r1', '--out', 'r1.json'])).code).toBe(0);
  for (const argv of [
    ['diff', 'r1', 'r1#a', '--out', 'd-self', '--no-report'],
    ['gate', 'r1.json', 'r1', '--out', 'g-self', '--no-report'],
  ]) {
    const r = await cli(argv);
    expect(r.code, argv.join(' ')).toBe(2);
    expect(r.stderr).toMatch(/are the same run's target \(r1, a\): comparing it with itself cannot show drift/);
  }
});

it('RUN#entry for an entry with variants names its targets', async () => {
  await writeSyntheticRun(path.join(dir, 'variants'), [
    { ...common, seed: 7, modelId: 'assistant@a' },
    { ...common, seed: 8, modelId: 'assistant@b' },
  ]);
  const r = await cli(['diff', 'variants#assistant', 'variants#assistant@b', '--out', 'd-entry', '--no-report']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(
    /has no judgments for model "assistant": "assistant" is a config entry with variants, each its own target: name one, e\.g\. variants#assistant@a \(targets: assistant@a, assistant@b\)/,
  );
});
