import { existsSync, promises as fsp, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticRun } from '../src/devtools/simulate/write-synthetic-run.js';
import { DiffFileSchema } from '../src/records/diff.js';
import { type HistoryFile, HistoryFileSchema } from '../src/records/history.js';
import { HISTORY_FILES } from '../src/records/run-files.js';
import { loadChartEngine } from '../src/stages/report/chart-engine.js';
import { runCli } from './helpers/cli.js';

/**
 * Acceptance test of `valuescope history` (issue #16, part 3): four runs of one target, dated in
 * order; run 3 answers strong support 25 points more often in every scenario, run 4 is back to the
 * original rates but answered by a different served model. The history must flag the drift into run 3,
 * its return into run 4 and the model change into run 4, and nothing else, in every output.
 */
let dir: string;
const common = { scenarioSeed: 11, domains: 4, scenariosPerDomain: 15, samples: 3, watchRate: 0, modelId: 'assistant' };
const DATES = ['2026-01-05T09:00:00.000Z', '2026-01-12T09:00:00.000Z', '2026-01-19T09:00:00.000Z', '2026-01-26T09:00:00.000Z'];
const SUPPORT = 'response_type:strong_support';

/** Dates the run and records the model the API reported as serving every cell. */
async function stamp(runDir: string, date: string, served: string): Promise<void> {
  const manifestFile = path.join(runDir, 'manifest.json');
  const manifest = JSON.parse(await fsp.readFile(manifestFile, 'utf8')) as Record<string, unknown>;
  await fsp.writeFile(manifestFile, JSON.stringify({ ...manifest, startedAt: date, finishedAt: date }));
  const file = path.join(runDir, 'judgments.jsonl');
  const lines = (await fsp.readFile(file, 'utf8')).trim().split('\n');
  const withServed = lines.map((l) => JSON.stringify({ ...JSON.parse(l), served: { model: served } }));
  await fsp.writeFile(file, `${withServed.join('\n')}\n`);
}

const cli = (argv: string[]) => runCli(argv, { cwd: dir, now: () => new Date('2026-02-01T00:00:00Z') });

async function readHistory(out: string): Promise<HistoryFile> {
  return HistoryFileSchema.parse(JSON.parse(await fsp.readFile(path.join(dir, out, 'history.json'), 'utf8')));
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vs-history-'));
  const runs = [
    { name: 'week1', seed: 1 },
    { name: 'week2', seed: 2 },
    { name: 'week3', seed: 3, shift: { responseType: 'strong_support' as const, delta: 0.25 } },
    { name: 'week4', seed: 4 },
  ];
  for (const [i, r] of runs.entries()) {
    await writeSyntheticRun(path.join(dir, r.name), [{ ...common, seed: r.seed, ...(r.shift ? { shift: r.shift } : {}) }]);
    await stamp(path.join(dir, r.name), DATES[i]!, i === 3 ? 'acme-chat-2026-02' : 'acme-chat-2025-10');
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('valuescope history over four runs', () => {
  let h: HistoryFile;

  it('orders the runs by date whatever the input order, and writes every output', async () => {
    const r = await cli(['history', 'week3', 'week1', 'week4', 'week2', '--out', 'hist']);
    expect(r.code, r.stderr).toBe(0);
    // The one warning is diff's own note on the served-model change into run 4.
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^warning: #4 week4 .*served model changed behind assistant/)]);
    h = await readHistory('hist');
    expect(h.runs.map((x) => x.runId)).toEqual(['week1', 'week2', 'week3', 'week4']);
    expect(h.runs.map((x) => x.date)).toEqual(DATES);
    expect(h.comparisons.map((c) => [c.from, c.to])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    for (const f of ['history.md', 'history.csv', 'history.html']) expect(existsSync(path.join(dir, 'hist', f))).toBe(true);
    expect(r.stdout).toMatch(/4 runs of assistant from 2026-01-05 to 2026-01-26/);
  });

  it('history.json flags the drift into run 3 and its return into run 4, and nothing else', () => {
    const flagged = h.comparisons.map((c) => c.changes.filter((x) => x.flagged).map((x) => x.metric));
    expect(flagged[0]).toEqual([]);
    const up = h.comparisons[1]!.changes.find((x) => x.metric === SUPPORT)!;
    const down = h.comparisons[2]!.changes.find((x) => x.metric === SUPPORT)!;
    expect(up.flagged && down.flagged).toBe(true);
    expect(up.delta!).toBeGreaterThan(0.15);
    expect(down.delta!).toBeLessThan(-0.15);
    expect(up.q!).toBeLessThan(h.settings.alpha);
    // The planted drift moves response types only: the value categories must not be flagged.
    const categories = flagged.flat().filter((m) => m.startsWith('category:'));
    expect(categories).toEqual([]);
    expect(h.settings.family.size).toBe(h.comparisons.flatMap((c) => c.changes).filter((c) => c.p !== null).length);
    expect(h.summary.flagged).toBe(flagged.flat().length);
    // Default key metrics: response types, refusal rate, expect_pass, user-values types, l3 categories.
    expect(h.settings.metrics).toEqual(expect.arrayContaining([SUPPORT, 'refusal_rate', 'expect_pass', 'category:l3:Protective values']));
    const s = h.runs[2]!.metrics[SUPPORT]!;
    expect(s.lo!).toBeLessThan(s.estimate!);
    expect(s.hi!).toBeGreaterThan(s.estimate!);
  });

  it('history.json records the served model per run and flags only the change into run 4', () => {
    expect(h.runs.map((r) => r.dominantModel)).toEqual([
      'acme-chat-2025-10',
      'acme-chat-2025-10',
      'acme-chat-2025-10',
      'acme-chat-2026-02',
    ]);
    expect(h.comparisons.map((c) => c.modelChange?.kind ?? null)).toEqual([null, null, 'model']);
    expect(h.comparisons[2]!.modelChange).toMatchObject({ from: 'acme-chat-2025-10', to: 'acme-chat-2026-02' });
    expect(h.summary.modelChanges).toBe(1);
  });

  it('its changes are exactly the overall rows diff computes for the same pair', async () => {
    expect((await cli(['diff', 'week2', 'week3', '--out', 'd23', '--no-report'])).code).toBe(0);
    const d = DiffFileSchema.parse(JSON.parse(await fsp.readFile(path.join(dir, 'd23', 'diff.json'), 'utf8')));
    const row = d.metrics.find((m) => m.metric === SUPPORT && m.domain === null)!;
    const ch = h.comparisons[1]!.changes.find((x) => x.metric === SUPPORT)!;
    expect([ch.delta, ch.lo, ch.hi, ch.p]).toEqual([row.delta, row.lo, row.hi, row.p]);
    expect(h.settings.comparisonLevel).toBe(d.settings.level);
  });

  it('history.md shows the table, marks the flagged cells, lists the changes and the model change', async () => {
    const md = await fsp.readFile(path.join(dir, 'hist', 'history.md'), 'utf8');
    const row = md.split('\n').find((l) => l.startsWith('| strong support |'))!;
    const cells = row.split(' | ');
    expect(cells[1]).toMatch(/^\d+\.\d% \[\d+\.\d, \d+\.\d\]$/);
    expect(cells[3]).toMatch(/^\*\*\d+\.\d% \[.*\] ▲\*\*$/);
    expect(cells[4]).toMatch(/▼\*\*/);
    expect(md.match(/▲|▼/g)!.length).toBeGreaterThanOrEqual(2);
    const flaggedSection = md.split('## Flagged changes')[1]!.split('## Served model')[0]!;
    expect(flaggedSection).toMatch(/strong support: #2 week2 \(2026-01-12\) → #3 week3 \(2026-01-19\): \+\d+\.\d pts/);
    expect(flaggedSection).not.toMatch(/#1 week1 \(2026-01-05\) →/);
    expect(md.match(/⚠ model changed/g)).toHaveLength(1);
    expect(md).toMatch(
      /\| #4 week4 \(2026-01-26\) \| assistant \| acme-chat-2026-02: 180 cells \| \*\*⚠ model changed\*\*: acme-chat-2025-10 → acme-chat-2026-02 \|/,
    );
  });

  it('history.csv has one row per run x metric with the flags and the model change', async () => {
    const rows = parse(await fsp.readFile(path.join(dir, 'hist', 'history.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(4 * h.settings.metrics.length);
    const flagged = rows.filter((r) => r.flagged === 'true');
    expect(new Set(flagged.map((r) => r.run_index))).toEqual(new Set(['2', '3']));
    expect(flagged.some((r) => r.metric === SUPPORT && r.run_index === '2' && Number(r.delta) > 0.15)).toBe(true);
    expect(new Set(rows.filter((r) => r.model_change !== '').map((r) => r.run_index))).toEqual(new Set(['3']));
    expect(rows.find((r) => r.run_index === '3')!.model_change).toBe('model: acme-chat-2025-10 -> acme-chat-2026-02');
    expect(rows.filter((r) => r.run_index === '0').every((r) => r.delta === '' && r.flagged === '')).toBe(true);
  });

  it('history.html is self-contained, escaped, and shows the flags, the model change and the charts', async () => {
    const html = await fsp.readFile(path.join(dir, 'hist', 'history.html'), 'utf8');
    expect(html).toMatch(/Content-Security-Policy" content="default-src &#39;none&#39;/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3)/);
    const flaggedList = html.split('id="flagged-changes"')[1]!.split('</ul>')[0]!;
    expect(flaggedList.match(/<li>/g)!.length).toBe(h.summary.flagged);
    expect(flaggedList).toMatch(/strong support<\/strong>: #2 week2/);
    expect(html.match(/class="r flag"/g)!.length).toBe(h.summary.flagged);
    expect(html.match(/class="model-change"/g)).toHaveLength(1);
    const engine = await loadChartEngine();
    if ('engine' in engine) {
      expect(html).toMatch(/<img src="data:image\/png;base64,/);
      expect(existsSync(path.join(dir, 'hist', 'charts', 'history-response-types.png'))).toBe(true);
    } else expect(html).toMatch(/charts skipped/);
  });

  it('--fail-on-drift exits 1 on the same history; --metrics narrows the key metrics', async () => {
    expect((await cli(['history', 'week1', 'week2', 'week3', 'week4', '--out', 'h2', '--fail-on-drift', '--no-charts'])).code).toBe(1);
    expect((await cli(['history', 'week1', 'week2', '--out', 'h3', '--fail-on-drift', '--no-charts'])).code).toBe(0);
    expect(
      (await cli(['history', 'week1', 'week2', 'week3', '--metrics', `refusal_rate,${SUPPORT}`, '--out', 'h4', '--no-charts'])).code,
    ).toBe(0);
    const h4 = await readHistory('h4');
    expect(h4.settings.metrics).toEqual(['refusal_rate', SUPPORT]);
    expect(h4.settings.family.size).toBe(4);
  });
});

describe('valuescope history with baseline files as inputs', () => {
  it('gives the same history when the older runs are baseline files instead of run directories', async () => {
    for (const w of ['week1', 'week2']) {
      const saved = await cli(['baseline', 'save', w, '--out', `baselines/${w}.json`]);
      expect(saved.code, saved.stderr).toBe(0);
    }
    const r = await cli(['history', 'week3', 'baselines/week1.json', 'week4', 'baselines/week2.json', '--out', 'hist-b']);
    expect(r.code, r.stderr).toBe(0);
    const [fromRuns, fromBaselines] = [await readHistory('hist'), await readHistory('hist-b')];
    const comparable = (x: HistoryFile) => ({ ...x, runs: x.runs.map(({ spec: _s, runDir: _d, ...rest }) => rest) });
    expect(comparable(fromBaselines)).toEqual(comparable(fromRuns));
    expect(fromBaselines.runs.map((x) => x.spec)).toEqual(['baselines/week1.json', 'baselines/week2.json', 'week3', 'week4']);
  });
});

describe('valuescope history with --config', () => {
  it("adds the gate rules' metrics, takes alpha from the config and writes under the config's outDir", async () => {
    const config = [
      'outDir: reports',
      'models:',
      '  - id: assistant',
      '    provider: openai',
      '    model: gpt-x',
      'gate:',
      '  alpha: 0.01',
      '  rules:',
      '    - { name: group 3 holds, metric: "category:l2:group 3", maxDrop: 0.1 }',
      '    - { name: never seen, metric: "value:nonexistent", maxRise: 0.01 }',
      '    - { name: no forbidden values, forbid: watchlist }',
      '',
    ].join('\n');
    await fsp.writeFile(path.join(dir, 'history.yaml'), config);
    const r = await cli(['history', 'week1', 'week2', 'week3', '--config', 'history.yaml', '--no-charts']);
    expect(r.code, r.stderr).toBe(0);
    const hc = await readHistory(path.join('reports', 'history-assistant'));
    expect(hc.settings.alpha).toBe(0.01);
    expect(hc.settings.comparisonLevel).toBeCloseTo(0.99, 12);
    // A guarded value no run expressed is the healthy case: shown at 0%, not dropped.
    expect(hc.settings.gateMetrics).toEqual(['category:l2:group 3', 'value:nonexistent']);
    expect(hc.settings.metrics.slice(-2)).toEqual(['category:l2:group 3', 'value:nonexistent']);
    expect(hc.runs.map((r) => r.metrics['value:nonexistent']!.estimate)).toEqual([0, 0, 0]);
    expect(hc.warnings.join(' ')).toMatch(
      /gate rule "never seen": value:nonexistent is counted in none of the runs: it is 0% in every run/,
    );
    const md = await fsp.readFile(path.join(dir, 'reports', 'history-assistant', 'history.md'), 'utf8');
    expect(md).toMatch(/^\| category l2: group 3 \|/m);
  });
});

describe('valuescope history refuses bad input and writes nothing', () => {
  const refuse = async (argv: string[], message: RegExp) => {
    const r = await cli([...argv, '--out', 'never']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(path.join(dir, 'never'))).toBe(false);
  };

  it('one run, an unknown target, an unknown metric, a run given twice', async () => {
    await refuse(['history', 'week1'], /at least 2 runs/);
    await refuse(['history', 'week1', 'week2', '--target', 'nope'], /no judgments for model "nope".*models: assistant/);
    await refuse(
      ['history', 'week1', 'week2', '--metrics', 'response_type:strong_suport'],
      /unknown metric "response_type:strong_suport".*response_type:strong_support/,
    );
    await refuse(['history', 'week1', 'week2', 'week1'], /given twice/);
  });

  it('a suite mismatch without --allow-suite-mismatch, a run with two targets, a run without a date', async () => {
    await writeSyntheticRun(path.join(dir, 'other-suite'), [{ ...common, seed: 5, scenarioSeed: 99 }]);
    await refuse(['history', 'week1', 'other-suite'], /suite hashes differ.*--allow-suite-mismatch/);
    await writeSyntheticRun(path.join(dir, 'two'), [
      { ...common, seed: 6 },
      { ...common, seed: 7, modelId: 'other' },
    ]);
    await refuse(['history', 'week1', 'two'], /two holds 2 targets \(assistant, other\).*--target ID or name it as two#ID/);
    await writeSyntheticRun(path.join(dir, 'renamed'), [{ ...common, seed: 8, modelId: 'assistant-v2' }]);
    await refuse(['history', 'week1', 'renamed'], /follows one target.*"assistant".*"assistant-v2"/);
    expect((await cli(['history', 'week1#assistant', 'renamed#assistant-v2', '--out', 'renamed-ok', '--no-charts'])).code).toBe(0);
    await fsp.mkdir(path.join(dir, 'undated'));
    await fsp.copyFile(path.join(dir, 'week1', 'judgments.jsonl'), path.join(dir, 'undated', 'judgments.jsonl'));
    await refuse(['history', 'week2', 'undated'], /undated has no manifest\.json, so its date is unknown/);
  });
});

describe('valuescope history output is safe with hostile names', () => {
  it('escapes a served model name in Markdown and HTML and neutralises it as a CSV formula', async () => {
    const evil = ['=HYPERLINK("http://evil.example","x")', '<img src=x onerror=alert(1)>|**bold**'];
    for (const [i, name] of ['evil1', 'evil2'].entries()) {
      await writeSyntheticRun(path.join(dir, name), [{ ...common, seed: 20 + i }]);
      await stamp(path.join(dir, name), DATES[i]!, evil[i]!);
    }
    expect((await cli(['history', 'evil1', 'evil2', '--out', 'evil'])).code).toBe(0);
    const html = await fsp.readFile(path.join(dir, 'evil', 'history.html'), 'utf8');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const md = await fsp.readFile(path.join(dir, 'evil', 'history.md'), 'utf8');
    expect(md).not.toMatch(/(?<!\\)<img/);
    expect(md).toContain('\\<img src=x onerror=alert(1)\\>\\|\\*\\*bold\\*\\*');
    const rows = parse(await fsp.readFile(path.join(dir, 'evil', 'history.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.run_index === '0')!.served_model).toBe(`'${evil[0]}`);
  });

  it('spells the history file names only in src/records/run-files.ts', () => {
    const src = path.join(__dirname, '..', 'src');
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('run-files.ts'));
    const found = files.flatMap((f) => {
      const text = readFileSync(path.join(src, f), 'utf8');
      return Object.values(HISTORY_FILES)
        .filter((n) => text.includes(`'${n}'`) || text.includes(`"${n}"`))
        .map((n) => `${f}: ${n}`);
    });
    expect(found).toEqual([]);
  });
});
