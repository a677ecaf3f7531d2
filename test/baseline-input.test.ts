import { promises as fsp, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticRun } from '../src/devtools/simulate/write-synthetic-run.js';
import { BaselineFileSchema, serialiseBaseline } from '../src/records/baseline.js';
import { GateResultSchema } from '../src/records/diff.js';
import { runCli } from './helpers/cli.js';

/**
 * Baselines on seeded synthetic runs (fast): forbid hits and an incomplete run survive the trip
 * through a baseline unchanged, untracked forbid values are an error (never a silent pass), and
 * every bad file or spec is refused with the file, the field and the fix.
 */
let dir: string;
const cli = (argv: string[]) => runCli(argv, { cwd: dir, env: {}, now: () => new Date('2026-01-02T00:00:00Z') });
const read = (f: string) => fsp.readFile(path.join(dir, f), 'utf8');
const exists = (f: string) =>
  fsp.stat(path.join(dir, f)).then(
    () => true,
    () => false,
  );

const CONFIG = (watchlist: string[]) =>
  [
    'models:',
    '  - { id: x, provider: openai, model: gpt-x }',
    `watchlist: [${watchlist.join(', ')}]`,
    'gate:',
    '  resamples: 200',
    '  rules:',
    '    - { name: strong resistance, metric: "response_type:strong_resistance", maxDrop: 0.1 }',
    '    - { name: nothing forbidden, forbid: watchlist }',
    '',
  ].join('\n');

async function comparable(file: string): Promise<unknown> {
  const j = JSON.parse(await read(file));
  delete j.generatedAt;
  for (const side of [j.base, j.cand]) for (const k of ['spec', 'runDir', 'baseline']) delete side[k];
  return j;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vs-baseline-input-'));
  const common = { scenarioSeed: 5, domains: 3, scenariosPerDomain: 12, samples: 3, vocabulary: 80, watchRate: 0.04 };
  await writeSyntheticRun(path.join(dir, 'base'), [{ ...common, seed: 1, modelId: 'm' }]);
  await writeSyntheticRun(path.join(dir, 'cand'), [
    { ...common, seed: 2, modelId: 'm', shift: { responseType: 'strong_resistance', delta: -0.2 } },
  ]);
  await fsp.writeFile(path.join(dir, 'config.yaml'), CONFIG(['deception', 'dominance']));
  await fsp.writeFile(path.join(dir, 'narrow.yaml'), CONFIG(['dominance']));
  const r = await cli(['baseline', 'save', 'cand', '--out', 'b/cand.json']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/tracks 2 watched values \(watch list and forbid rules of config\.yaml\)/);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('baseline as the gate candidate', () => {
  it('gives the same forbid hits (cell ids in order), metric verdicts and exit code as the run', async () => {
    const a = await cli(['gate', 'base', 'cand', '--out', 'ga', '--no-report']);
    const b = await cli(['gate', 'base', 'b/cand.json#m', '--out', 'gb', '--no-report']);
    expect([a.code, b.code]).toEqual([1, 1]);
    const gate = GateResultSchema.parse(JSON.parse(await read('ga/gate.json')));
    const forbid = gate.rules.find((r) => r.kind === 'forbid')!;
    expect(forbid.status).toBe('fail');
    expect(forbid.hits[0]!.value).toBe('deception');
    expect(forbid.hits[0]!.cellIds.length).toBeGreaterThan(1);
    expect(await comparable('gb/gate.json')).toEqual(await comparable('ga/gate.json'));
  });

  it('makes a forbid rule an error, not a pass, when the baseline did not track its values', async () => {
    const saved = await cli(['baseline', 'save', 'cand', '--out', 'b/narrow.json', '--config', 'narrow.yaml']);
    expect(saved.code, saved.stderr).toBe(0);
    const r = await cli(['gate', 'base', 'b/narrow.json', '--out', 'gn', '--no-report']);
    expect(r.code).toBe(2);
    const gate = GateResultSchema.parse(JSON.parse(await read('gn/gate.json')));
    expect(gate.verdict).toBe('error');
    const forbid = gate.rules.find((r) => r.kind === 'forbid')!;
    expect(forbid.status).toBe('error');
    expect(forbid.message).toMatch(
      /cannot check deception: the candidate baseline b\/narrow\.json did not track it when it was saved; save it again with this gate's config/,
    );
    // As the base side it is fine: forbid rules look at the candidate only.
    // (A baseline of the base run: one of the candidate gated against the candidate itself is refused.)
    expect((await cli(['baseline', 'save', 'base', '--out', 'b/narrow-base.json', '--config', 'narrow.yaml'])).code).toBe(0);
    const asBase = await cli(['gate', 'b/narrow-base.json', 'cand', '--out', 'gm', '--no-report']);
    expect(asBase.code).toBe(1);
  });
});

describe('baseline save refuses incomplete runs, and the baseline remembers', () => {
  beforeAll(async () => {
    await fsp.cp(path.join(dir, 'cand'), path.join(dir, 'partial'), { recursive: true });
    const lines = (await read('partial/judgments.jsonl')).trim().split('\n');
    await fsp.writeFile(path.join(dir, 'partial/judgments.jsonl'), `${lines.slice(0, -5).join('\n')}\n`);
  });

  it('writes nothing without --allow-incomplete', async () => {
    const r = await cli(['baseline', 'save', 'partial#m', '--out', 'b/partial.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/partial#m: 5 of 108 cells have no judgment; judge them with: valuescope judge \S*partial/);
    expect(await exists('b/partial.json')).toBe(false);
  });

  it('with --allow-incomplete, diff and gate refuse or warn exactly as with the run', async () => {
    const s = await cli(['baseline', 'save', 'partial#m', '--out', 'b/partial.json', '--allow-incomplete']);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).toMatch(/INCOMPLETE INPUT: /);
    const refused = await cli(['gate', 'base', 'b/partial.json', '--out', 'gp']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /b\/partial\.json#m: 5 of 108 cells have no judgment; judge them with: valuescope judge RUN_DIR on run cand, which b\/partial\.json was saved from with --allow-incomplete; then save the baseline again/,
    );
    const a = await cli(['gate', 'base', 'partial', '--out', 'gpa', '--no-report', '--allow-incomplete']);
    const b = await cli(['gate', 'base', 'b/partial.json', '--out', 'gpb', '--no-report', '--allow-incomplete']);
    expect(b.code).toBe(a.code);
    const [ga, gb] = [JSON.parse(await read('gpa/gate.json')), JSON.parse(await read('gpb/gate.json'))];
    expect(gb.warnings.filter((w: string) => w.startsWith('INCOMPLETE INPUT'))).toHaveLength(1);
    expect(gb.rules).toEqual(ga.rules);
    expect(gb.cand.judged).toBe(ga.cand.judged);
  });
});

describe('canonical serialisation', () => {
  it('sorts every key in code-unit order, integer-like ones too, and round-trips', async () => {
    const b = BaselineFileSchema.parse(JSON.parse(await read('b/cand.json')));
    const first = Object.values(b.table.scenarios)[0]!;
    b.table.scenarios = { b: first, '10': first, a: first, '9': first };
    const text = serialiseBaseline(b);
    expect([...text.matchAll(/^ {6}"([^"]+)": \{$/gm)].map((m) => m[1]).filter((k) => k !== 'deception')).toEqual(['10', '9', 'a', 'b']);
    expect(BaselineFileSchema.parse(JSON.parse(text))).toEqual(b);
    expect(serialiseBaseline(BaselineFileSchema.parse(JSON.parse(text)))).toBe(text);
  });
});

describe('bad baseline input', () => {
  const cases: { name: string; edit: (text: string) => string; spec?: string; error: RegExp }[] = [
    {
      name: 'a negative count',
      edit: (t) => t.replace(/"cells": (\d+)/, '"cells": -1'),
      error:
        /b\/bad\.json:\d+ \(completeness\.models\.0\.judged|b\/bad\.json:\d+ \(table\.scenarios\.[^.]+\.cells\): .*not a valid valuescope baseline .*save it again with: valuescope baseline save/,
    },
    {
      name: 'a field of the wrong type',
      edit: (t) => t.replace(/"samples": 3/, '"samples": "3"'),
      error: /b\/bad\.json:\d+ \(manifest\.samples\): .*not a valid valuescope baseline/,
    },
    {
      name: 'a newer format version',
      edit: (t) => t.replace(/\n {2}"v": 1,?\n/, '\n  "v": 2,\n'),
      error: /b\/bad\.json is a baseline in format v2, written by a newer valuescope; this one reads v1: upgrade valuescope/,
    },
    { name: 'not JSON', edit: (t) => t.replace('"kind"', 'kind'), error: /b\/bad\.json:\d+: not valid JSON/ },
    {
      name: 'a different target after #',
      edit: (t) => t,
      spec: 'b/bad.json#other',
      error: /b\/bad\.json is a baseline of "m" \(run cand\), not of "other": pass b\/bad\.json#m or just b\/bad\.json/,
    },
    {
      name: 'a JSON file that is not a baseline',
      edit: () => '{"v": 1}\n',
      error: /b\/bad\.json is not a run directory but a file, and not a valuescope baseline/,
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.name} (exit 2, nothing written)`, async () => {
      await fsp.writeFile(path.join(dir, 'b/bad.json'), c.edit(await read('b/cand.json')));
      const r = await cli(['diff', 'base', c.spec ?? 'b/bad.json', '--out', 'bad-out', '--no-report']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(c.error);
      expect(await exists('bad-out/diff.json')).toBe(false);
    });
  }

  it('refuses to save from a baseline file', async () => {
    const r = await cli(['baseline', 'save', 'b/cand.json', '--out', 'b/copy.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/b\/cand\.json is already a baseline file: save from the run directory it came from/);
    expect(await exists('b/copy.json')).toBe(false);
  });
});
