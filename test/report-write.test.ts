import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { escapeHtml, escapeMarkdown, jsonForScript } from '../src/stages/report/escape.js';
import { findMarks } from '../src/stages/report/highlight.js';
import { writeReport } from '../src/stages/report/write-report.js';
import { writeDiffFixture, writeRunFixture } from './report-run-fixture.js';

const ctx = (cwd: string) => ({ cwd, env: {} });
const failingLoader = async (): Promise<never> => {
  throw new Error('libcairo.so.2: cannot open shared object file');
};

describe('escaping', () => {
  it('escapes HTML text and attributes', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&\``)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;&#96;');
  });
  it('keeps JSON inert inside <script>', () => {
    const s = jsonForScript({ t: '</script><!-- \u2028 & >' });
    expect(s).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(s)).toEqual({ t: '</script><!-- \u2028 & >' });
  });
  it('escapes Markdown so model text cannot add HTML, links or table cells', () => {
    expect(escapeMarkdown('a|b <script> [x](javascript:y)\nz &amp;')).toBe('a\\|b \\<script\\> \\[x\\](javascript:y) z &amp;amp;');
  });
});

describe('evidence highlighting', () => {
  it('finds exact, case- and whitespace-insensitive quotes, drops overlaps and misses', () => {
    const text = 'I value Honesty.\nAnd  harm   prevention matters.';
    expect(findMarks(text, ['I value Honesty.', 'HARM prevention', 'not there', 'value', undefined])).toEqual([
      [0, 16, 0],
      [22, 39, 1],
    ]);
  });
});

describe('writeReport', () => {
  it('writes a run report: markdown tables, self-contained HTML with CSP, charts or the canvas notice', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vs-report-run-'));
    writeRunFixture(dir, ['model-a', 'model-b'], { watchHits: true });
    const r = await writeReport(dir, { ctx: ctx(dir) });
    expect(r.kind).toBe('run');
    expect(r.transcripts).toBe(24);
    const md = readFileSync(path.join(dir, 'report.md'), 'utf8');
    expect(md).toMatch(/^## valuescope profile — /);
    expect(md).toContain('Judge: lexical@3 — judge model local:lexical.');
    expect(md).toContain('| strong support |');
    expect(md).toContain('Values in the Wild taxonomy, Anthropic');
    // The answer first (headline shares with intervals), then watch-list hits, then the profile tables.
    expect(md.indexOf('#### Summary')).toBeLessThan(md.indexOf('Watch-list hits'));
    expect(md.indexOf('Watch-list hits')).toBeLessThan(md.indexOf('#### Profiles'));
    expect(md).toMatch(
      /\| model \| judged \| strong resistance \| refusal rate \| expected response given \| strong support \| watch-list hits \|/,
    );
    expect(md).toContain('#### Provenance');
    // No Values in the Wild column beside an adversarial suite's response types.
    expect(md).toMatch(/\| response type \| model-a \| model-b \|\n/);
    expect(md).not.toContain('<script');
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; img-src data:;`);
    expect(html).not.toMatch(/<script>document|<img src=x|https?:\/\/(?!huggingface)/);
    expect(html.match(/<script/g)?.length).toBe(3);
    if (r.chartsSkipped === null) {
      expect(r.charts).toBeGreaterThanOrEqual(4);
      expect(existsSync(path.join(dir, 'charts', 'category-shares.png'))).toBe(true);
      expect(md).toContain('- [Top-level value categories](charts/category-shares.png)');
      expect(html).toContain('src="data:image/png;base64,');
    }
  });

  it('without canvas: says why and how to fix it, and writes everything else', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vs-report-nocanvas-'));
    writeRunFixture(dir, ['model-a']);
    const r = await writeReport(dir, { ctx: ctx(dir), chartLoader: failingLoader });
    expect(r.charts).toBe(0);
    expect(r.chartsSkipped).toContain(
      'charts skipped: the native canvas module could not load (install build-essential libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev, then npm rebuild canvas)',
    );
    expect(readFileSync(path.join(dir, 'report.md'), 'utf8')).toContain('charts skipped: the native canvas module could not load');
    expect(readFileSync(path.join(dir, 'report.html'), 'utf8')).toContain('id="charts-skipped"');
    expect(existsSync(path.join(dir, 'charts'))).toBe(false);
  });

  it('VALUESCOPE_REQUIRE_CHARTS=1 turns a missing canvas into an error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vs-report-require-'));
    writeRunFixture(dir, ['model-a']);
    await expect(
      writeReport(dir, { ctx: { cwd: dir, env: { VALUESCOPE_REQUIRE_CHARTS: '1' } }, chartLoader: failingLoader }),
    ).rejects.toThrow(/VALUESCOPE_REQUIRE_CHARTS=1/);
  });

  it('writes a diff report with the gate verdict first, then the changes that matter', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'vs-report-diff-'));
    writeRunFixture(path.join(root, 'base'), ['model-a']);
    writeRunFixture(path.join(root, 'cand'), ['model-b'], { watchHits: true });
    writeDiffFixture(path.join(root, 'diff'), 'base', 'cand');
    const r = await writeReport('diff', { ctx: ctx(root), out: 'out' });
    expect(r.kind).toBe('diff');
    expect(r.transcripts).toBe(24);
    const md = readFileSync(path.join(root, 'out', 'report.md'), 'utf8');
    const lines = md.split('\n');
    expect(lines[0]).toBe('## valuescope diff — model-a → model-b');
    expect(lines[2]).toBe('#### Summary');
    expect(lines[4]).toMatch(/^> ❌ \*\*Gate FAILED\*\* — 0 passed, 2 failed of 2 rules/);
    expect(md.indexOf('#### Gate rules')).toBeLessThan(md.indexOf('#### Changes by family'));
    // The profiles and per-domain rows are in report.html; report.md stays a short PR comment.
    expect(md).not.toContain('Profiles side by side');
    const html = readFileSync(path.join(root, 'out', 'report.html'), 'utf8');
    expect(html.indexOf('id="changes"')).toBeLessThan(html.indexOf('Profiles side by side'));
    // The overall strong-resistance row is guarded by a gate rule: it is shown once, in the gate
    // table with the gate's numbers, not again in the changes tables with the diff's.
    expect(html).toMatch(
      /strong resistance \(relationship-advice\)<\/td><td>responses<\/td><td class="r">25\.0%<\/td><td class="r">50\.0%<\/td><td class="r">\+25\.0 pts<\/td><td class="r">\[\+13\.0, \+37\.0\]<\/td><td class="r">0\.040<\/td>/,
    );
    expect(html).not.toMatch(/>strong resistance<\/td><td>responses</);
    expect(md).toContain('| strong-resistance-drop | FAILED | −30.0 pts | \\[-42.0, -18.0\\] | −10.0 | 0.020 |');
    expect(html).toContain('dominance &lt;img src=x onerror=alert(1)&gt;: in 1 cell (8.0%)');
    expect(md).toContain('| dominance | 1 | model-b/jailbreak-roleplay-s1/0 |');
    if (r.chartsSkipped === null) expect(md).toContain('(charts/forest-plot.png)');
  });

  it('writes a gate-only report (gate.json without diff.json): verdict, rules, forbidden values, profiles', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'vs-report-gate-'));
    writeRunFixture(path.join(root, 'base'), ['model-a']);
    writeRunFixture(path.join(root, 'cand'), ['model-b']);
    writeDiffFixture(path.join(root, 'diff'), 'base', 'cand');
    rmSync(path.join(root, 'diff', 'diff.json'));
    const r = await writeReport('diff', { ctx: ctx(root), chartLoader: failingLoader });
    expect(r.kind).toBe('gate');
    const md = readFileSync(path.join(root, 'diff', 'report.md'), 'utf8');
    expect(md.split('\n')[0]).toBe('## valuescope gate — model-a → model-b');
    expect(md.split('\n')[4]).toMatch(/^> ❌ \*\*Gate FAILED\*\*/);
    expect(md).toContain(
      '| strong-resistance-drop | FAILED | −30.0 pts | \\[-42.0, -18.0\\] | −10.0 | 0.020 | 15.0 pts | concerning: resists less |',
    );
    expect(md).toContain('- strong-resistance-drop FAILED: ');
    expect(md).toContain('| dominance | 1 | model-b/jailbreak-roleplay-s1/0 |');
    expect(readFileSync(path.join(root, 'diff', 'report.html'), 'utf8')).toContain('Profiles side by side');
  });

  it('the CLI command writes the report and rejects a directory that is neither run nor diff', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vs-report-cli-'));
    writeRunFixture(path.join(dir, 'run'), ['model-a']);
    const out: string[] = [];
    const err: string[] = [];
    const cliCtx = {
      cwd: dir,
      env: {},
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      now: () => new Date(0),
      fetch,
      signal: new AbortController().signal,
    };
    expect(await main(['report', 'run', '--no-charts'], cliCtx)).toBe(0);
    expect(out.join('')).toContain('Wrote the run report to run: report.md, report.html (12 transcripts), 0 charts');
    expect(err.join('')).toContain('charts skipped: --no-charts was given');
    expect(await main(['report', 'nowhere'], cliCtx)).toBe(2);
    expect(err.join('')).toContain('is neither a run directory');
  });
});

describe('autoReport (called at the end of run, diff and gate)', () => {
  it('writes the report, and turns a failure into a warning', async () => {
    const { autoReport } = await import('../src/app/report-command.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'vs-report-auto-'));
    writeRunFixture(path.join(dir, 'run'), ['model-a']);
    const out: string[] = [];
    const err: string[] = [];
    const c = { cwd: dir, env: {}, stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } };
    expect((await autoReport('run', c, { charts: false }))?.transcripts).toBe(12);
    expect(out.join('')).toContain('Wrote the run report to run');
    expect(await autoReport('missing', c)).toBeNull();
    expect(err.join('')).toContain('warning: the report was not written');
    expect(err.join('')).toContain('valuescope report missing');
  });
});
