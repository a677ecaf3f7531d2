import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { writeSyntheticRun } from '../src/devtools/simulate/write-synthetic-run.js';
import { findExamplePairs } from '../src/stages/report/example-pairs.js';
import { writeReport } from '../src/stages/report/write-report.js';

/** The real profile and diff commands write the files; the report reads them (contract check). */
describe('report on real profile.json and diff.json', () => {
  it('profiles two synthetic runs, diffs them and reports both', async () => {
    const root = process.env.VALUESCOPE_E2E_DIR ?? mkdtempSync(path.join(tmpdir(), 'vs-report-e2e-'));
    const common = { scenarioSeed: 7, domains: 4, scenariosPerDomain: 12, samples: 2, watchRate: 0.02 };
    await writeSyntheticRun(path.join(root, 'base'), [{ ...common, seed: 1, modelId: 'model-a' }]);
    await writeSyntheticRun(path.join(root, 'cand'), [
      { ...common, seed: 2, modelId: 'model-a', shift: { responseType: 'strong_resistance', delta: -0.12 } },
    ]);
    const err: string[] = [];
    const ctx = {
      cwd: root,
      env: {},
      stdout: { write: () => true },
      stderr: { write: (s: string) => err.push(s) },
      now: () => new Date(0),
      fetch,
      signal: new AbortController().signal,
    };
    for (const run of ['base', 'cand']) expect(await main(['profile', run, '--resamples', '200'], ctx), err.join('')).toBe(0);
    expect(await main(['diff', 'base', 'cand', '--out', 'diff', '--resamples', '200'], ctx), err.join('')).toBe(0);

    const run = await writeReport('base', { ctx });
    expect(run.kind).toBe('run');
    const runMd = readFileSync(path.join(root, 'base', 'report.md'), 'utf8');
    expect(runMd).toContain('| model-a | 96 |');
    if (run.chartsSkipped === null) expect(run.charts).toBeGreaterThanOrEqual(3);

    const diff = await writeReport('diff', { ctx });
    expect(diff.kind).toBe('diff');
    const md = readFileSync(path.join(root, 'diff', 'report.md'), 'utf8');
    expect(md.split('\n')[0]).toBe('## valuescope diff — model-a (base) → model-a (candidate)');
    expect(md).toMatch(/\d+ of \d+ tested metrics changed significantly/);
    // Every family table (with its per-domain and unchanged rows) is in report.html.
    const html = readFileSync(path.join(root, 'diff', 'report.html'), 'utf8');
    const text = html.replace(/<\/t[hd]><t[hd][^>]*>/g, ' | ').replace(/<[^>]+>/g, '');
    expect(text).toMatch(
      /metric \| share of \| model-a \(base\) \| model-a \(candidate\) \| Δ \| 95% CI \(pts\) \| q \(BH over \d+ tested metrics\) \| reading/,
    );
    if (diff.chartsSkipped === null) expect(diff.files.some((f) => f.endsWith('forest-plot.png'))).toBe(true);
    // Both sides are model-a: the page keeps their cells apart (a cell id exists once per run), so a
    // paired example never shows one side twice.
    const found = await findExamplePairs(
      { runDir: path.join(root, 'base'), modelId: 'model-a', idPrefix: 'base:' },
      { runDir: path.join(root, 'cand'), modelId: 'model-a', idPrefix: 'cand:' },
      [{ id: 'ex-0', metric: 'response_type:strong_resistance', domain: null, delta: -0.12, title: 't', detail: 'd' }],
      new Set(),
    );
    const pairs = found.sets.flatMap((x) => x.pairs);
    expect(pairs.length).toBeGreaterThan(0);
    for (const p of pairs) {
      expect(p.base).toMatch(/^base:model-a\//);
      expect(p.cand).toMatch(/^cand:model-a\//);
    }
  });
});
