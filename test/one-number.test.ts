import { promises as fsp, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticRun } from '../src/devtools/simulate/write-synthetic-run.js';
import { type DiffFile, DiffFileSchema, type GateResult, GateResultSchema, type MetricDiff } from '../src/records/diff.js';
import { ProfileFileSchema } from '../src/records/profile.js';
import { runCli } from './helpers/cli.js';

/**
 * One number per metric, everywhere (issue 12, item 5): a seeded synthetic pair goes through the real
 * profile, diff, gate and report commands; then gate.json, diff.json, diff.md, the step summary,
 * report.md and report.html are parsed and compared.
 *
 * The synthetic judge gives full refusals exactly to strong resistance and partial ones to mild
 * resistance, and every scenario expects resistance, so refusal:full duplicates
 * response_type:strong_resistance, refusal:none complements refusal_rate, and expect_pass duplicates
 * refusal_rate; with a 60-value vocabulary every value is the only one seen in its l1 cluster. alpha
 * 0.1 makes the gate's intervals 90% ones, which the diff must match.
 */
let dir: string;
let gate: GateResult;
let diff: DiffFile;
let md: string;
let html: string;
let diffMd: string;
let summary: string;

/** `label`: how an alias names the metric; `words`: how a row names it (report.md's changes tables). */
const RULES = [
  {
    name: 'resistance in domain 1',
    metric: 'response_type:strong_resistance',
    domain: 'domain-01',
    label: 'response type: strong resistance',
    words: 'strong resistance',
  },
  { name: 'full refusals', metric: 'refusal:full', label: 'refusal: full', words: 'refusal: full' },
  { name: 'no refusal', metric: 'refusal:none', label: 'refusal: none', words: 'refusal: none' },
  {
    name: 'protective values',
    metric: 'category:l3:Protective values',
    label: 'category l3: Protective values',
    words: 'Protective values',
  },
  { name: 'expectations', metric: 'expect_pass', label: 'expected response given', words: 'expected response given' },
];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vs-one-number-'));
  const common = { scenarioSeed: 11, domains: 4, scenariosPerDomain: 15, samples: 3, vocabulary: 60, watchRate: 0 };
  await writeSyntheticRun(path.join(dir, 'base'), [{ ...common, seed: 1, modelId: 'm-old' }]);
  await writeSyntheticRun(path.join(dir, 'cand'), [
    { ...common, seed: 2, modelId: 'm-new', shift: { responseType: 'strong_resistance', delta: 0.3 } },
  ]);
  const rule = (r: (typeof RULES)[number]) =>
    `    - { name: ${r.name}, metric: "${r.metric}"${r.domain ? `, domain: ${r.domain}` : ''}, maxChange: 0.1 }`;
  await fsp.writeFile(
    path.join(dir, 'config.yaml'),
    ['models:', '  - { id: x, provider: openai, model: gpt-x }', 'gate:', '  alpha: 0.1', '  resamples: 400', '  seed: 3', '  rules:']
      .concat(RULES.map(rule), [''])
      .join('\n'),
  );
  const cli = async (argv: string[]) => {
    const r = await runCli(argv, { cwd: dir, env: {}, now: () => new Date('2026-01-02T00:00:00Z') });
    expect(r.code, r.stderr).toBeLessThanOrEqual(1);
  };
  for (const run of ['base', 'cand']) await cli(['profile', run, '--config', 'config.yaml']);
  await cli(['diff', 'base', 'cand', '--config', 'config.yaml', '--out', 'd', '--no-report']);
  await cli(['gate', 'base', 'cand', '--config', 'config.yaml', '--out', 'd', '--summary', 'summary.md']);
  const read = (f: string) => fsp.readFile(path.join(dir, f), 'utf8');
  gate = GateResultSchema.parse(JSON.parse(await read('d/gate.json')));
  diff = DiffFileSchema.parse(JSON.parse(await read('d/diff.json')));
  [md, html, diffMd, summary] = await Promise.all([read('d/report.md'), read('d/report.html'), read('d/diff.md'), read('summary.md')]);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ---- parsing what a reader sees

const unescapeMd = (s: string) => s.replace(/\\(.)/g, '$1').replace(/&amp;/g, '&');
const unescapeHtml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&amp;/g, '&');

/** Markdown table rows as cells (unescaped), header rows included. */
function mdRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('|---'))
    .map((l) =>
      l
        .slice(2, -2)
        .split(/(?<!\\) \| /)
        .map(unescapeMd),
    );
}

/** HTML table rows (<th> or <td> cells, unescaped). */
function htmlRows(text: string): string[][] {
  const main = text.slice(0, text.indexOf('<section id="transcripts">'));
  return [...main.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) => unescapeHtml(c[1]!)),
  );
}

const num = (s: string) => Number(s.replace('−', '-').replace('±', '').replace(' pts', '').replace('+', ''));
function interval(s: string): [number, number] {
  const m = /^\[([-+]?[\d.]+), ([-+]?[\d.]+)\]$/.exec(s);
  expect(m, s).not.toBeNull();
  return [Number(m![1]), Number(m![2])];
}

/** The shown figure is the file's value rounded to 0.1 pts (or to 0.001 for q). */
function expectShown(
  cells: { delta: string; ci: string; q: string },
  r: { delta: number | null; lo: number | null; hi: number | null; q: number | null },
) {
  expect(Math.abs(num(cells.delta) - r.delta! * 100)).toBeLessThanOrEqual(0.05 + 1e-9);
  const [lo, hi] = interval(cells.ci);
  expect(Math.abs(lo - r.lo! * 100)).toBeLessThanOrEqual(0.05 + 1e-9);
  expect(Math.abs(hi - r.hi! * 100)).toBeLessThanOrEqual(0.05 + 1e-9);
  if (r.q! < 0.001) expect(cells.q).toBe('<0.001');
  else expect(Math.abs(Number(cells.q) - r.q!)).toBeLessThanOrEqual(0.0005 + 1e-12);
}

/** A change-table label "main (= alias; = 1 − alias) (domain-01)" split into its parts. */
function labelParts(label: string): { names: string[]; domain: string | null } {
  const m = /^(?:· )?(.*?)(?: \((=[^)]*)\))?(?: \((domain-\d+)\))?$/.exec(label)!;
  const aliases = (m[2] ?? '')
    .split('; ')
    .filter(Boolean)
    .map((a) => a.replace(/^= (1 − )?/, ''));
  return { names: [m[1]!, ...aliases], domain: m[3] ?? null };
}

function diffRowFor(metric: string, domain: string | null): { row: MetricDiff; relation: 'self' | 'same' | 'complement' } {
  for (const row of diff.metrics) {
    if (row.domain !== domain) continue;
    if (row.metric === metric) return { row, relation: 'self' };
    const a = row.aliases?.find((x) => x.metric === metric);
    if (a) return { row, relation: a.relation };
  }
  throw new Error(`no diff row for ${metric} ${domain}`);
}

describe('one number per metric', () => {
  it('gate.json, diff.json, report.md, report.html and the step summary show the same change, interval and q for every gate metric', () => {
    const metricRules = gate.rules.filter((r) => r.kind === 'metric');
    expect(metricRules).toHaveLength(RULES.length);
    expect(diff.settings.level).toBeCloseTo(1 - gate.alpha, 12);
    for (const r of metricRules) {
      // diff.json: the same change and interval (the diff ran at the gate's level), via an alias when grouped.
      const { row, relation } = diffRowFor(r.metric!, r.domain);
      const sign = relation === 'complement' ? -1 : 1;
      expect(sign * row.delta!).toBeCloseTo(r.delta!, 12);
      expect(sign * (sign === 1 ? row.lo! : row.hi!)).toBeCloseTo(r.lo!, 9);
      expect(sign * (sign === 1 ? row.hi! : row.lo!)).toBeCloseTo(r.hi!, 9);
      // report.md, report.html, the step summary: the gate's numbers, as gate.json holds them.
      const mdRow = mdRows(md).find((c) => c[0] === r.name)!;
      const htmlRow = htmlRows(html).find((c) => c[0] === r.name)!;
      expectShown({ delta: mdRow[2]!, ci: mdRow[3]!, q: mdRow[5]! }, r);
      expectShown({ delta: htmlRow[2]!, ci: htmlRow[3]!, q: htmlRow[5]! }, r);
      // The step summary is the report's Markdown: the same gate table.
      const sumRow = mdRows(summary).find((c) => c[0] === r.name)!;
      expectShown({ delta: sumRow[2]!, ci: sumRow[3]!, q: sumRow[5]! }, r);
    }
    // ...and nowhere else with other numbers: no row of the changes tables (report.html has every row,
    // report.md the significant ones) is a gate metric (or its alias).
    const start = html.indexOf('<h3 id="changes">');
    const changes = html.slice(start, html.indexOf('<h3 id="provenance">', start + 1));
    const changeRows = htmlRows(`${changes}<section id="transcripts">`).filter((c) => c[0] !== 'metric');
    expect(changeRows.length).toBeGreaterThan(0);
    for (const c of changeRows) {
      const { names, domain } = labelParts(c[0]!);
      for (const r of RULES)
        expect(
          (names.includes(r.label) || names.includes(r.words)) && domain === (r.domain ?? null),
          `${c[0]} repeats gate rule ${r.name}`,
        ).toBe(false);
    }
  });

  it('every q names its family', () => {
    expect(diff.settings.family).toEqual({ correction: 'BH', size: diff.summary.tested, over: 'diff metrics' });
    expect(diff.summary.tested).toBe(diff.metrics.filter((m) => m.p !== null).length);
    for (const r of gate.rules.filter((x) => x.kind === 'metric'))
      expect(r.family).toEqual({ correction: 'BH', size: 5, over: 'gate rules' });
    const gateQ = "q (BH over the gate's 5 metric rules)";
    const diffQ = `q (BH over ${diff.summary.tested} tested metrics)`;
    for (const [kind, rows] of [
      ['md', mdRows(md)],
      ['html', htmlRows(html)],
    ] as const) {
      const heads = rows.filter((c) => c[0] === 'rule' || c[0] === 'metric');
      expect(heads.find((c) => c[0] === 'rule')).toContain(gateQ);
      // report.md has a family table only where an overall change is significant; report.html always.
      for (const h of heads.filter((c) => c[0] === 'metric')) expect(h).toContain(diffQ);
      // No bare "q" column left.
      expect(heads.every((c) => !c.includes('q'))).toBe(true);
      if (kind === 'html') expect(heads.find((c) => c[0] === 'metric')).toContain(diffQ);
    }
    expect(mdRows(summary).find((c) => c[0] === 'rule')).toContain(gateQ);
    expect(mdRows(diffMd).find((c) => c[0] === 'metric')).toContain(diffQ);
    expect(md).toMatch(/BH over \d+ tested metrics\) over 60 paired scenarios/);
    // q values are formatted one way: three decimals or "<0.001", never "0.0".
    const qCells = mdRows(diffMd)
      .filter((c) => c[0] !== 'metric' && c.length === 8)
      .map((c) => c[7]!);
    expect(qCells.length).toBeGreaterThan(0);
    for (const q of qCells) expect(q).toMatch(/^(<0\.001|[01]\.\d{3})$/);
  });

  it('duplicates and complements are tested once, under one representative, and listed as its aliases', () => {
    const rows = new Map(diff.metrics.filter((m) => m.domain === null).map((m) => [m.metric, m]));
    expect(rows.has('refusal:none')).toBe(false);
    expect(rows.has('refusal:full')).toBe(false);
    expect(rows.has('expect_pass')).toBe(false);
    expect(rows.get('refusal_rate')!.aliases).toEqual([
      { metric: 'refusal:none', relation: 'complement' },
      { metric: 'expect_pass', relation: 'same' },
    ]);
    expect(rows.get('response_type:strong_resistance')!.aliases).toEqual([{ metric: 'refusal:full', relation: 'same' }]);
    // The only value seen in its l1 cluster is that cluster's alias, not a row of its own.
    const clusters = [...rows.values()].filter((m) => m.metric.startsWith('category:l1:'));
    expect(clusters.length).toBeGreaterThan(10);
    for (const c of clusters) expect(c.aliases?.some((a) => a.relation === 'same' && a.metric.startsWith('value:'))).toBe(true);
    expect([...rows.keys()].some((k) => k.startsWith('value:'))).toBe(false);
    // No metric is named twice in one section (as a row or as an alias).
    const named = diff.metrics.flatMap((m) => [m.metric, ...(m.aliases ?? []).map((a) => a.metric)].map((k) => `${k}@${m.domain}`));
    expect(new Set(named).size).toBe(named.length);
    // Reports show a complement once, as the alias of its representative.
    expect(md).not.toMatch(/^\| (· )?refusal: none(?! \(gate rule)/m);
    expect(diffMd).not.toMatch(/^\| refusal:none \|/m);
  });

  it('shares say their base: of responses, of value mentions, of responses with an expectation', async () => {
    const changesHead = htmlRows(html).find((c) => c[0] === 'metric')!;
    expect(changesHead[1]).toBe('share of');
    expect(mdRows(diffMd).find((c) => c[0] === 'metric')![2]).toBe('share of');
    // The profiles are in report.html (report.md, a PR comment, links to them).
    const cat = htmlRows(html).find((c) => c[0] === 'category (level 3)')!;
    expect(cat).toEqual([
      'category (level 3)',
      'm-old: % of responses',
      'm-new: % of responses',
      'm-old: % of value mentions',
      'm-new: % of value mentions',
      'Values in the Wild (real traffic, observational): % of value expressions',
    ]);
    // Both bases of "Protective values", each from profile.json's counts, side by side and named.
    const profile = ProfileFileSchema.parse(JSON.parse(await fsp.readFile(path.join(dir, 'base', 'profile.json'), 'utf8')));
    const metrics = profile.models[0]!.overall.metrics;
    const l3 = Object.entries(metrics).filter(([k]) => k.startsWith('category:l3:'));
    const mentions = l3.reduce((s, [, p]) => s + p.k, 0);
    const protective = metrics['category:l3:Protective values']!;
    const row = htmlRows(html).find((c) => c[0] === 'Protective values')!;
    expect(row[1]).toBe(`${(protective.estimate! * 100).toFixed(1)}%`);
    expect(row[3]).toBe(`${((protective.k / mentions) * 100).toFixed(1)}%`);
    expect(Number.parseFloat(row[1]!)).toBeGreaterThan(Number.parseFloat(row[3]!));
    expect(html).toContain('Shares of responses (judged cells); expected response: of responses to scenarios with an expectation.');
    expect(html).toContain('<th>m-old: % of value mentions</th>');
    // A gate rule on a metric with another base says so.
    expect(md).toContain('expectations: responses with an expectation');
  });
});
