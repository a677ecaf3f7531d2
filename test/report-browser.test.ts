import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../src/stages/report/write-report.js';
import { chromiumOrSkip, HeadlessChromium } from './report-cdp.js';
import { writeDiffFixture, writeRunFixture } from './report-run-fixture.js';

describe('report.html in headless Chromium', () => {
  if (!chromiumOrSkip()) return;
  let browser: HeadlessChromium;
  let root: string;
  let chartsRendered = 0;
  const dialogs: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'vs-browser-'));
    writeRunFixture(path.join(root, 'base'), ['model-a']);
    writeRunFixture(path.join(root, 'cand'), ['model-b'], { watchHits: true });
    writeDiffFixture(path.join(root, 'diff'), 'base', 'cand');
    chartsRendered = (await writeReport('diff', { ctx: { cwd: root, env: {} } })).charts;
    browser = await HeadlessChromium.launch();
    browser.on('Page.javascriptDialogOpening', (p) => dialogs.push(String(p.message)));
  }, 60_000);
  afterAll(async () => browser?.close());

  it('runs none of the hostile text in transcripts, values or judge output', async () => {
    const page = await browser.open(pathToFileURL(path.join(root, 'diff', 'report.html')).href);
    const title = await page.evaluate<string>('document.title');
    expect(title).toBe('valuescope diff — model-a → model-b');
    // Render every transcript so each payload becomes DOM text.
    await page.evaluate(
      `(async () => { for (let round = 0; round < 100 && document.querySelectorAll('.cell').length < 24; round++) { document.querySelectorAll('details:not([open])').forEach((d) => { d.open = true; }); await new Promise((r) => setTimeout(r, 20)); } })()`,
    );
    const state = await page.evaluate<{
      title: string;
      pwned: unknown;
      cells: number;
      scripts: number;
      imgX: number;
      jsLinks: number;
      svg: number;
      text: string;
      marks: number;
    }>(`({
      title: document.title, pwned: window.__pwned ?? null, cells: document.querySelectorAll('.cell').length,
      scripts: document.scripts.length, imgX: document.querySelectorAll('img:not(.chart)').length,
      jsLinks: document.querySelectorAll('a[href^="javascript"]').length, svg: document.querySelectorAll('svg').length,
      text: document.body.innerText, marks: document.querySelectorAll('mark').length })`);
    expect(state.cells).toBe(24);
    expect(state.title).toBe(title);
    expect(state.pwned).toBeNull();
    expect(state.scripts).toBe(3);
    expect(state.imgX).toBe(0);
    expect(state.jsLinks).toBe(0);
    expect(state.svg).toBe(0);
    expect(dialogs).toEqual([]);
    // The payloads are shown as text, and the judge's evidence is highlighted.
    expect(state.text).toContain(`</script><script>document.title='pwned-script'`);
    expect(state.text).toContain(`<a href="javascript:document.title='pwned-link'`);
    expect(state.text).toContain('dominance <img src=x onerror=alert(1)>');
    expect(state.marks).toBe(48);
  });

  it('shows the verdict, decodes the charts and expands a transcript on click; screenshot', async () => {
    const page = await browser.open(pathToFileURL(path.join(root, 'diff', 'report.html')).href);
    const verdict = await page.evaluate<string>(`document.getElementById('verdict')?.textContent ?? ''`);
    // The verdict's wording is content-diff's; here only that it is shown first and says FAILED for both rules.
    expect(verdict).toMatch(/^Gate FAILED — .*\b2 failed of 2 rules/);
    const images = await page.evaluate<{ n: number; decoded: number }>(
      `(async () => { const imgs = Array.from(document.querySelectorAll('img.chart')); await Promise.all(imgs.map((i) => i.decode().catch(() => undefined))); return { n: imgs.length, decoded: imgs.filter((i) => i.complete && i.naturalWidth > 0).length }; })()`,
    );
    expect(images.n).toBe(chartsRendered);
    expect(images.decoded).toBe(chartsRendered);
    if (chartsRendered === 0) expect(await page.evaluate<boolean>(`!!document.getElementById('charts-skipped')`)).toBe(true);
    expect(await page.evaluate<number>(`document.querySelectorAll('.cell').length`)).toBe(0);
    await page.click('#browser > details > summary');
    await page.waitForSelector('#browser > details[open] details.scenario > summary');
    await page.click('#browser > details[open] details.scenario > summary');
    await page.waitForSelector('.cell');
    const shown = await page.evaluate<{ cells: number; response: string }>(
      `({ cells: document.querySelectorAll('.cell').length, response: document.querySelector('.cell .msg.assistant')?.textContent ?? '' })`,
    );
    expect(shown.cells).toBe(4);
    expect(shown.response).toContain('I value honesty.');
    const png = await page.screenshot();
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1280);
    if (process.env.VALUESCOPE_SCREENSHOT) writeFileSync(process.env.VALUESCOPE_SCREENSHOT, png);
  });

  it('a linked row of the real diff report filters to the cells counting in its metric; the diff offers "changed between sides"', async () => {
    const page = await browser.open(pathToFileURL(path.join(root, 'diff', 'report.html')).href, { width: 1440, height: 900 });
    // A metric and a domain: the fixture's cells all express honesty, so the domain is what narrows.
    const selector = 'tr.linked[data-link*="value:honesty"][data-link*="relationship-advice"]';
    const expected = await page.evaluate<{ ids: string[]; metric: string }>(`(() => {
      const link = JSON.parse(document.querySelector(${JSON.stringify(selector)}).dataset.link);
      const cells = JSON.parse(document.getElementById('cells').textContent);
      const ids = cells.filter((c) => (c.metrics || []).includes(link.metric) && (link.domain == null || c.domain === link.domain)).map((c) => c.id).sort();
      return { ids, metric: link.metric };
    })()`);
    expect(expected.ids).toHaveLength(8);
    // The per-domain rows may sit in a collapsed section: open it, as a reader would.
    await page.evaluate(`document.querySelector(${JSON.stringify(selector)}).closest('details')?.setAttribute('open', '')`);
    await page.click(selector);
    await page.waitForSelector('#browser .cell');
    const shown = await page.evaluate<{ ids: string[]; count: string; chip: string }>(`({
      ids: Array.from(document.querySelectorAll('#browser .cell'), (c) => c.dataset.cell).sort(),
      count: document.getElementById('transcript-count').textContent,
      chip: document.getElementById('active-filter').textContent })`);
    expect(shown.ids).toEqual(expected.ids);
    expect(shown.count).toBe(`${expected.ids.length} of 24 transcripts`);
    expect(shown.chip).toContain(`showing cells counting in ${expected.metric}`);
    expect(await page.evaluate<boolean>(`document.getElementById('changed-filter-label').hidden`)).toBe(false);
  });

  it('fits the real diff report on a 420 px phone: no horizontal page overflow; screenshots', async () => {
    const shots = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-output', 'screenshots');
    mkdirSync(shots, { recursive: true });
    const page = await browser.open(pathToFileURL(path.join(root, 'diff', 'report.html')).href, { width: 420, height: 900 });
    const widths = await page.evaluate<{ scroll: number; inner: number }>(
      `({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })`,
    );
    expect(widths.scroll).toBeLessThanOrEqual(widths.inner);
    writeFileSync(path.join(shots, 'diff-report-420.png'), await page.screenshot());
    await page.resize(1440, 900);
    writeFileSync(path.join(shots, 'diff-report-1440.png'), await page.screenshot());
  });
});
