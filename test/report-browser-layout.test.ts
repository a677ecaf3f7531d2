import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHtmlPage } from '../src/stages/report/html-page.js';
import type { TranscriptCell } from '../src/stages/report/transcript-cell.js';
import { LONG_WORD, writeBrowserPage } from './report-browser-page.js';
import { chromiumOrSkip, HeadlessChromium, type Page } from './report-cdp.js';

/** Screenshots for a person to look at (git-ignored). */
const SHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-output', 'screenshots');

/** A page with 5,000 transcripts (20 domains × 125 scenarios × 2 sides), for the speed check. */
async function writeLargePage(file: string): Promise<void> {
  await writeHtmlPage({
    file,
    title: 'large',
    blocks: [],
    charts: { charts: [], skipped: 'charts skipped: --no-charts was given' },
    cells: async (emit) => {
      let n = 0;
      for (let i = 0; i < 5000; i++) {
        const side = i % 2 === 0 ? 'base' : 'cand';
        const cell: TranscriptCell = {
          id: `m-${side}/s-${Math.floor(i / 2)}/0`,
          model: `m-${side}`,
          side,
          domain: `domain-${i % 20}`,
          scenario: `s-${Math.floor(i / 2)}`,
          sample: 0,
          messages: [{ role: 'user', text: `Question ${i}: ${'some words about values '.repeat(20)}` }],
          response: `Answer ${i}. ${'I value honesty and care about harm prevention. '.repeat(30)}`,
          userValues: [],
          responseType: i % 3 === 0 ? 'strong_support' : 'reframing',
          refusal: 'none',
          aiValues: [{ name: i % 7 === 0 ? 'rare value' : 'honesty', category: 'Epistemic values' }],
          metrics: ['value:honesty', 'any_value'],
        };
        emit(cell);
        n++;
      }
      return n;
    },
  });
}

describe('report.html layout and speed in headless Chromium', () => {
  if (!chromiumOrSkip()) return;
  let browser: HeadlessChromium;
  let root: string;
  let file: string;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'vs-browser-layout-'));
    ({ file } = await writeBrowserPage(root));
    await writeLargePage(path.join(root, 'large.html'));
    mkdirSync(SHOTS, { recursive: true });
    browser = await HeadlessChromium.launch();
  }, 60_000);
  afterAll(async () => browser?.close());

  const overflow = (page: Page) =>
    page.evaluate<{ scroll: number; inner: number; widest: string }>(`(() => {
      const inner = window.innerWidth;
      // The element that sticks out furthest, to name the culprit when the page overflows.
      let widest = '', right = inner;
      for (const e of document.querySelectorAll('body *')) {
        const r = e.getBoundingClientRect();
        if (r.right > right + 0.5 && !e.closest('.table-wrap')) { right = r.right; widest = e.tagName + '.' + e.className; }
      }
      return { scroll: document.documentElement.scrollWidth, inner, widest };
    })()`);
  const shot = async (page: Page, name: string) => writeFileSync(path.join(SHOTS, name), await page.screenshot());

  for (const width of [420, 1024, 1440]) {
    it(`has no horizontal page overflow at ${width} px, with a very wide table, a long word and the examples open`, async () => {
      const page = await browser.open(pathToFileURL(file).href, { width, height: 900 });
      await shot(page, `report-${width}-top.png`);
      const top = await overflow(page);
      expect(top.scroll, `overflowing: ${top.widest}`).toBeLessThanOrEqual(top.inner);
      // The wide table scrolls inside its box.
      const wrap = await page.evaluate<{ scroll: number; client: number }>(
        `(() => { const w = document.querySelectorAll('.table-wrap')[1]; return { scroll: w.scrollWidth, client: w.clientWidth }; })()`,
      );
      expect(wrap.scroll).toBeGreaterThan(wrap.client);
      // A link's filter: the controls and the chip, scrolled into view.
      await page.click('#changes a.cells-link');
      await page.waitForSelector('#browser .cell');
      await shot(page, `report-${width}-controls.png`);
      const controls = await overflow(page);
      expect(controls.scroll, `overflowing: ${controls.widest}`).toBeLessThanOrEqual(controls.inner);
      await page.click('#clear-filters');
      // Every transcript rendered, the long unbroken word among them.
      await page.type('#transcript-search', 'model-');
      await page.waitForSelector('#browser .cell');
      await page.evaluate(
        `(async () => { for (let i = 0; i < 50 && document.querySelectorAll('#browser .cell').length < 24; i++) { document.querySelectorAll('#browser details:not([open])').forEach((d) => { d.open = true; }); await new Promise((r) => setTimeout(r, 20)); } })()`,
      );
      expect(await page.evaluate<number>(`document.querySelectorAll('#browser .cell').length`)).toBe(24);
      expect(await page.evaluate<string>(`document.getElementById('browser').innerText`)).toContain(LONG_WORD);
      const cells = await overflow(page);
      expect(cells.scroll, `overflowing: ${cells.widest}`).toBeLessThanOrEqual(cells.inner);
      await page.evaluate(`document.querySelector('[data-cell="model-a/relationship-advice-s0/0"]').scrollIntoView()`);
      await shot(page, `report-${width}-transcripts.png`);
      await page.click(`#changes tr.linked[data-link*='ex-1']`);
      await page.waitForSelector('#examples-panel .pair-side .cell');
      const panel = await page.evaluate<{ scroll: number; client: number; stacked: boolean }>(`(() => {
        const p = document.getElementById('examples-panel');
        const [a, b] = p.querySelector('.pair').querySelectorAll('.pair-side');
        return { scroll: p.scrollWidth, client: p.clientWidth, stacked: b.getBoundingClientRect().top >= a.getBoundingClientRect().bottom };
      })()`);
      expect(panel.scroll).toBeLessThanOrEqual(panel.client);
      expect(panel.stacked).toBe(width < 900);
      const withPanel = await overflow(page);
      expect(withPanel.scroll, `overflowing: ${withPanel.widest}`).toBeLessThanOrEqual(withPanel.inner);
      await shot(page, `report-${width}-examples.png`);
    });
  }

  it('filters 5,000 transcripts quickly and opens only the first groups', async () => {
    const page = await browser.open(pathToFileURL(path.join(root, 'large.html')).href, { width: 1440, height: 900 });
    expect(await page.evaluate<string>(`document.getElementById('transcript-count').textContent`)).toBe('5000 of 5000 transcripts');
    const timed = await page.evaluate<{ ms: number; count: string; cells: number }>(`(() => {
      const t0 = performance.now();
      const s = document.getElementById('model-filter');
      s.value = 'm-cand';
      s.dispatchEvent(new Event('change'));
      return { ms: performance.now() - t0, count: document.getElementById('transcript-count').textContent, cells: document.querySelectorAll('#browser .cell').length };
    })()`);
    expect(timed.count).toBe('2500 of 5000 transcripts');
    expect(timed.cells).toBeGreaterThan(0);
    expect(timed.cells).toBeLessThanOrEqual(40);
    expect(timed.ms).toBeLessThan(500);
    const searched = await page.evaluate<{ ms: number; count: string }>(`(async () => {
      const t0 = performance.now();
      const input = document.getElementById('transcript-search');
      input.value = 'RARE VALUE';
      input.dispatchEvent(new Event('input'));
      while (!document.getElementById('transcript-count').textContent.startsWith('357 ') && performance.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 5));
      return { ms: performance.now() - t0, count: document.getElementById('transcript-count').textContent };
    })()`);
    // Every 7th cell has "rare value"; of the candidate's (odd) cells, those with i % 14 === 7.
    expect(searched.count).toBe('357 of 5000 transcripts');
    // Includes the 150 ms pause the search waits for the typing to stop.
    expect(searched.ms).toBeLessThan(1000);
  });
});
