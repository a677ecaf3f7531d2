import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptCell } from '../src/stages/report/transcript-cell.js';
import { CHANGED_SCENARIO, ERROR_CELL, EXAMPLE_PAIRS, PANEL_CELL, WATCH_CELL, writeBrowserPage } from './report-browser-page.js';
import { chromiumOrSkip, HeadlessChromium, type Page } from './report-cdp.js';

let root: string;
let file: string;
let cells: TranscriptCell[];

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'vs-browser-tx-'));
  ({ file, cells } = await writeBrowserPage(root));
}, 60_000);

const byId = (id: string) => cells.find((c) => c.id === id)!;

describe('streamCells: what the browser filters on', () => {
  it('tags each cell with its side, expectation, metrics, watch-list hits, change and raters', () => {
    expect(cells).toHaveLength(24);
    const pass = byId('model-a/relationship-advice-s0/0');
    expect(pass).toMatchObject({ side: 'base', expect: ['strong_support'], expectPass: true, judge: 'lexical@3' });
    expect(pass.metrics).toEqual(expect.arrayContaining(['response_type:strong_support', 'value:honesty', 'any_value', 'expect_pass']));
    const fail = byId(PANEL_CELL);
    expect(fail).toMatchObject({ expectPass: false, responseType: 'mild_support' });
    expect(fail.metrics).not.toContain('expect_pass');
    expect(fail.raters).toEqual([
      { judge: 'judge-x@1', responseType: 'mild_support', refusal: 'none' },
      { judge: 'judge-y@1', responseType: 'reframing', refusal: 'partial' },
    ]);
    expect(pass.raters).toBeUndefined();
    expect(byId(WATCH_CELL)).toMatchObject({ side: 'cand', watchHits: ['dominance'] });
    expect(cells.filter((c) => c.watchHits)).toHaveLength(1);
    // A failed judgment counts in no metric and has no expectation outcome.
    const errored = byId(ERROR_CELL);
    expect(errored.judgeError).toBe('judge_parse: no JSON in the reply');
    expect(errored.metrics).toBeUndefined();
    expect(errored.expectPass).toBeUndefined();
    expect(cells.filter((c) => c.changed).map((c) => c.scenario)).toEqual(Array(4).fill(CHANGED_SCENARIO));
    expect(cells.filter((c) => c.expect === undefined)).toHaveLength(12);
  });
});

describe('report.html transcript browser in headless Chromium', () => {
  if (!chromiumOrSkip()) return;
  let browser: HeadlessChromium;
  let page: Page;

  beforeAll(async () => {
    browser = await HeadlessChromium.launch();
  }, 60_000);
  afterAll(async () => browser?.close());

  const open = async () => {
    page = await browser.open(pathToFileURL(file).href, { width: 1440, height: 900 });
  };
  const countText = () => page.evaluate<string>(`document.getElementById('transcript-count').textContent`);
  /** Ids of the transcripts rendered in the browser list (not the examples panel). */
  const shownIds = () => page.evaluate<string[]>(`Array.from(document.querySelectorAll('#browser .cell'), (c) => c.dataset.cell).sort()`);
  const waitForCount = async (text: string) => {
    await page.evaluate(
      `new Promise((resolve) => { const t0 = Date.now(); const tick = () => { if (document.getElementById('transcript-count').textContent === ${JSON.stringify(text)} || Date.now() - t0 > 3000) resolve(); else setTimeout(tick, 20); }; tick(); })`,
    );
    expect(await countText()).toBe(text);
  };
  /** A user's choice in a select, or a click on a checkbox: sets it and fires `change`, as the browser does. */
  const choose = (id: string, value: string | boolean) =>
    page.evaluate(
      `(() => { const e = document.getElementById(${JSON.stringify(id)}); if (typeof ${JSON.stringify(value)} === 'boolean') e.checked = ${JSON.stringify(value)}; else e.value = ${JSON.stringify(value)}; e.dispatchEvent(new Event('change', { bubbles: true })); })()`,
    );
  const expectIds = (pred: (c: TranscriptCell) => boolean) =>
    cells
      .filter(pred)
      .map((c) => c.id)
      .sort();

  it('search narrows the list, case-insensitively, over scenario ids, text and value names', async () => {
    await open();
    expect(await countText()).toBe('24 of 24 transcripts');
    expect(await shownIds()).toEqual([]);
    await page.type('#transcript-search', 'MODEL-B JAILBREAK-ROLEPLAY-S1 #');
    await waitForCount('2 of 24 transcripts');
    expect(await shownIds()).toEqual(['model-b/jailbreak-roleplay-s1/0', 'model-b/jailbreak-roleplay-s1/1']);
    await page.evaluate(`document.getElementById('transcript-search').value = ''`);
    await page.type('#transcript-search', 'Dominance');
    await waitForCount('1 of 24 transcripts');
    expect(await shownIds()).toEqual([WATCH_CELL]);
    await page.evaluate(`document.getElementById('transcript-search').value = ''`);
    await page.type('#transcript-search', 'mental-health-support-s1');
    await waitForCount('4 of 24 transcripts');
    expect(await shownIds()).toEqual(expectIds((c) => c.scenario === 'mental-health-support-s1'));
  });

  it('each filter narrows the list, and filters combine', async () => {
    await open();
    expect(await page.evaluate<boolean>(`document.getElementById('changed-filter-label').hidden`)).toBe(false);
    await choose('domain-filter', 'mental-health-support');
    await waitForCount('8 of 24 transcripts');
    expect(await shownIds()).toEqual(expectIds((c) => c.domain === 'mental-health-support'));
    await choose('domain-filter', '');
    await choose('type-filter', 'mild_support');
    // Sample 1 is judged mild_support, but one of those judgments failed.
    await waitForCount('11 of 24 transcripts');
    expect(await shownIds()).toEqual(expectIds((c) => c.sample === 1 && c.id !== ERROR_CELL));
    await choose('type-filter', '');
    await choose('expect-filter', true);
    await waitForCount('6 of 24 transcripts');
    expect(await shownIds()).toEqual(expectIds((c) => c.scenario.endsWith('-s0') && c.sample === 1));
    expect(await page.evaluate<number>(`document.querySelectorAll('#browser .badge.fail').length`)).toBe(6);
    await choose('domain-filter', 'relationship-advice');
    await waitForCount('2 of 24 transcripts');
    await choose('domain-filter', '');
    await choose('expect-filter', false);
    await choose('watch-filter', true);
    await waitForCount('1 of 24 transcripts');
    expect(await shownIds()).toEqual([WATCH_CELL]);
    await choose('watch-filter', false);
    await choose('changed-filter', true);
    await waitForCount('4 of 24 transcripts');
    expect(await shownIds()).toEqual(expectIds((c) => c.scenario === CHANGED_SCENARIO));
    await choose('model-filter', 'model-b');
    await waitForCount('2 of 24 transcripts');
    await page.click('#clear-filters');
    await waitForCount('24 of 24 transcripts');
    expect(await shownIds()).toEqual([]);
  });

  it('shows the judgment: expectation badge, judge, values with category and evidence, raters, judge errors', async () => {
    await open();
    await page.type('#transcript-search', 'relationship-advice-s0');
    await waitForCount('4 of 24 transcripts');
    const text = (id: string) => page.evaluate<string>(`document.getElementById(${JSON.stringify(`cell-${id}`)}).innerText`);
    const failed = await text(PANEL_CELL);
    expect(failed).toContain('✗ expected strong support, judged mild support');
    expect(failed).toContain('judged by lexical@3');
    expect(failed).toMatch(/honesty\s+Epistemic values — evidence: “?I value honesty\.”?/);
    expect(failed).toContain('judge-x@1: mild support, refusal none');
    expect(failed).toContain('judge-y@1: reframing, refusal partial');
    expect(await text('model-a/relationship-advice-s0/0')).toContain('✓ expected strong support');
    await page.evaluate(`document.getElementById('transcript-search').value = ''`);
    await page.type('#transcript-search', 'mental-health-support-s1');
    // The count is 4 before and after: wait for the new list itself.
    await page.waitForSelector(`#browser .cell[data-cell='${ERROR_CELL}']`);
    expect(await text(ERROR_CELL)).toContain('judge error: judge_parse: no JSON in the reply');
  });

  it('a row with an example opens both answers side by side next to the row; Close removes them', async () => {
    await open();
    await page.click(`#changes tr.linked[data-link*='ex-1']`);
    await page.waitForSelector('#examples-panel .pair-side .cell');
    const panel = await page.evaluate<{ text: string; sides: number[][]; row: number[]; box: number[]; marks: number }>(`(() => {
      const p = document.getElementById('examples-panel');
      const r = document.querySelector("#changes tr.linked[data-link*='ex-1']").getBoundingClientRect();
      const b = p.getBoundingClientRect();
      return { text: p.innerText, marks: p.querySelectorAll('mark').length, row: [r.top, r.bottom], box: [b.top, b.bottom, b.left, b.right],
        sides: Array.from(p.querySelector('.pair').querySelectorAll('.pair-side'), (s) => { const q = s.getBoundingClientRect(); return [q.left, q.top, q.width]; }) };
    })()`);
    for (const pair of EXAMPLE_PAIRS) {
      expect(panel.text).toContain(pair.base);
      expect(panel.text).toContain(pair.cand);
    }
    expect(panel.text).toContain('strong support (all domains)');
    expect(panel.text).toContain('−50.0 pts [−62.0, −38.0]');
    expect(panel.marks).toBeGreaterThanOrEqual(4);
    // Side by side at 1440 px: same top, second column to the right, each about half the width.
    const [a, b] = panel.sides as [number[], number[]];
    expect(b[1]).toBe(a[1]);
    expect(b[0]!).toBeGreaterThan(a[0]! + a[2]! - 1);
    expect(a[2]!).toBeGreaterThan(500);
    // Both the panel and the clicked row are in the 900 px viewport, the row above the panel.
    expect(panel.box[1]).toBeLessThanOrEqual(900);
    expect(panel.box[0]).toBeLessThan(900 - 200);
    expect(panel.row[0]).toBeGreaterThanOrEqual(0);
    expect(panel.row[1]).toBeLessThanOrEqual(panel.box[0]!);
    await page.click('#examples-panel .panel-close');
    expect(await page.evaluate<boolean>(`!!document.getElementById('examples-panel')`)).toBe(false);
  });

  it('Enter on a metric row filters to exactly the cells counting in it (in its domain), with a clearable chip', async () => {
    await open();
    await page.evaluate(`document.querySelector("#changes tr.linked[data-link*='jailbreak-roleplay']").focus()`);
    await page.press('Enter');
    const expected = expectIds((c) => c.domain === 'jailbreak-roleplay' && (c.metrics ?? []).includes('value:honesty'));
    expect(expected).toHaveLength(8);
    await waitForCount('8 of 24 transcripts');
    expect(await shownIds()).toEqual(expected);
    const chip = await page.evaluate<{ hidden: boolean; text: string; top: number }>(
      `(() => { const c = document.getElementById('active-filter'); return { hidden: c.hidden, text: c.textContent, top: document.getElementById('transcripts').getBoundingClientRect().top }; })()`,
    );
    expect(chip.hidden).toBe(false);
    expect(chip.text).toBe('showing cells counting in value:honesty (jailbreak-roleplay) — clear');
    expect(Math.abs(chip.top)).toBeLessThan(20);
    await page.click('#active-filter .chip-clear');
    await waitForCount('24 of 24 transcripts');
    expect(await page.evaluate<boolean>(`document.getElementById('active-filter').hidden`)).toBe(true);
  });

  it('a cell link shows exactly its cells; a link without its example falls back to its metric; a malformed link does nothing', async () => {
    await open();
    await page.click('#changes a.cells-link');
    await waitForCount('1 of 24 transcripts');
    expect(await shownIds()).toEqual([WATCH_CELL]);
    await page.click(`#changes tr.linked[data-link*='no-such-example']`);
    await waitForCount('0 of 24 transcripts');
    expect(await page.evaluate<string>(`document.getElementById('active-filter').textContent`)).toContain('refusal_rate');
    await page.click('#clear-filters');
    await waitForCount('24 of 24 transcripts');
    await page.click(`#changes tr.linked[data-link*='evil']`);
    await new Promise((r) => setTimeout(r, 200));
    expect(await countText()).toBe('24 of 24 transcripts');
    expect(
      await page.evaluate<boolean>(`document.getElementById('active-filter').hidden && !document.getElementById('examples-panel')`),
    ).toBe(true);
  });
});
