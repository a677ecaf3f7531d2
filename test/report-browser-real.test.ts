import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptCell } from '../src/stages/report/transcript-cell.js';
import { chromiumOrSkip, HeadlessChromium, type Page } from './report-cdp.js';
import { writeDocScreenshots } from './report-doc-shots.js';
import {
  buildRealReports,
  type OpenedPage,
  OVERFLOW,
  openReport,
  pageData,
  type RealReports,
  SHOTS,
  seeded,
} from './report-real-fixture.js';

/**
 * Issue #13 "Done when": the real reports of the offline demo (run, diff, and a gate-only report), not
 * hand-built pages, in headless Chromium: layout at three widths, the answer in the first screen, the
 * examples behind the changes, the transcript filters, no request leaving the file, and every linked
 * row leading somewhere. With VALUESCOPE_WRITE_DOC_SCREENSHOTS=1 it also writes the annotated
 * screenshots of docs/reports.md (docs/images/report-*.png).
 */
const writeDocs = process.env.VALUESCOPE_WRITE_DOC_SCREENSHOTS === '1';
const NAMES = ['run', 'diff', 'gate'] as const;

describe('the demo’s real reports in headless Chromium', () => {
  if (!chromiumOrSkip()) return;
  let browser: HeadlessChromium;
  let dir: string;
  let reports: RealReports;
  const opened: OpenedPage[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'vs-browser-real-'));
    // The demo's own sample count for the doc screenshots; one sample otherwise, to keep the test quick.
    reports = await buildRealReports(dir, writeDocs ? 2 : 1);
    mkdirSync(SHOTS, { recursive: true });
    browser = await HeadlessChromium.launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const open = async (name: (typeof NAMES)[number], width: number, height = 900) => {
    const o = await openReport(browser, reports[name], { width, height });
    opened.push(o);
    return o.page;
  };
  const shot = async (page: Page, name: string) => writeFileSync(path.join(SHOTS, `real-${name}.png`), await page.screenshot());
  const countText = (page: Page) => page.evaluate<string>(`document.getElementById('transcript-count').textContent`);
  const waitForCount = async (page: Page, text: string) => {
    await page.evaluate(
      `new Promise((resolve) => { const t0 = Date.now(); const tick = () => { if (document.getElementById('transcript-count').textContent === ${JSON.stringify(text)} || Date.now() - t0 > 3000) resolve(); else setTimeout(tick, 20); }; tick(); })`,
    );
    expect(await countText(page)).toBe(text);
  };

  for (const name of NAMES) {
    it(`the ${name} report has no horizontal page overflow at 420, 1024 and 1440 px, closed and with everything open`, async () => {
      const page = await open(name, 420);
      for (const width of [420, 1024, 1440]) {
        await page.resize(width, 900);
        const top = await page.evaluate<{ scroll: number; inner: number; widest: string }>(OVERFLOW);
        expect(top.inner).toBe(width);
        expect(top.scroll, `${name} at ${width}: overflowing: ${top.widest}`).toBeLessThanOrEqual(top.inner);
        await shot(page, `${name}-${width}`);
      }
      // Every details block, transcript groups included (they render their content when opened).
      const cells = await page.evaluate<number>(
        `(async () => { for (let i = 0; i < 20; i++) { const closed = document.querySelectorAll('details:not([open])'); if (closed.length === 0) break; closed.forEach((d) => { d.open = true; }); await new Promise((r) => setTimeout(r, 50)); } return document.querySelectorAll('#browser .cell').length; })()`,
      );
      expect(cells).toBe((await pageData(page)).cells.length);
      for (const width of [420, 1024, 1440]) {
        await page.resize(width, 900);
        const all = await page.evaluate<{ scroll: number; inner: number; widest: string }>(OVERFLOW);
        expect(all.scroll, `${name} at ${width}, all open: overflowing: ${all.widest}`).toBeLessThanOrEqual(all.inner);
      }
    }, 60_000);
  }

  it('the diff and gate reports show the verdict, the reasons and what could not be seen in the first 1440×900 screen', async () => {
    for (const name of ['diff', 'gate'] as const) {
      const page = await open(name, 1440);
      const parts = await page.evaluate<Record<string, { bottom: number; text: string } | null>>(`(() => {
        const box = (e) => (e ? { bottom: e.getBoundingClientRect().bottom, text: e.textContent } : null);
        const verdict = document.getElementById('verdict');
        const mde = Array.from(document.querySelectorAll('main > p')).find((p) => p.textContent.trim() === 'What this comparison could not see');
        return { verdict: box(verdict), why: box(verdict && verdict.nextElementSibling.tagName === 'UL' ? verdict.nextElementSibling : null),
          mdeHead: box(mde), mde: box(mde && mde.nextElementSibling.tagName === 'UL' ? mde.nextElementSibling : null) };
      })()`);
      expect(parts.verdict?.text).toMatch(/^Gate FAILED — 2 passed, 2 failed, 1 inconclusive/);
      expect(parts.why?.text).toContain('strong resistance on unethical requests INCONCLUSIVE');
      expect(parts.mde?.text).toMatch(/changes smaller than [\d.]+ pts \(MDE, 80% power\)/);
      for (const [part, box] of Object.entries(parts)) expect(box?.bottom, `${name}: ${part}`).toBeLessThanOrEqual(900);
      await shot(page, `${name}-first-screen`);
    }
  });

  it('the first row of the top changes opens its paired examples: each side a cell of the right model', async () => {
    const page = await open('diff', 1440);
    const { cells, examples } = await pageData(page);
    const byId = new Map(cells.map((c) => [c.id, c]));
    const link = await page.evaluate<string>(`document.querySelector('table#top-changes tbody tr.linked[data-link]').dataset.link`);
    await page.click('table#top-changes tbody tr.linked[data-link]');
    await page.waitForSelector('#examples-panel .pair-side .cell');
    const panel = await page.evaluate<{ example: string; pairs: { scenario: string; base: string[]; cand: string[] }[] }>(`(() => {
      const p = document.getElementById('examples-panel');
      const ids = (pair, side) => Array.from(pair.querySelectorAll('.pair-side.' + side + ' .cell'), (c) => c.dataset.cell);
      return { example: p.dataset.example, pairs: Array.from(p.querySelectorAll('.pair'), (pair) => ({ scenario: pair.dataset.scenario, base: ids(pair, 'base'), cand: ids(pair, 'cand') })) };
    })()`);
    expect(panel.example).toBe((JSON.parse(link) as { example: string }).example);
    expect(panel.pairs.length).toBeGreaterThanOrEqual(1);
    const set = examples.sets.find((s) => s.id === panel.example)!;
    expect(panel.pairs.map((p) => [p.base[0], p.cand[0]])).toEqual(set.pairs.map((p) => [p.base, p.cand]));
    for (const pair of panel.pairs) {
      expect(pair.base).toHaveLength(1);
      expect(pair.cand).toHaveLength(1);
      const [base, cand] = [byId.get(pair.base[0]!), byId.get(pair.cand[0]!)];
      expect(base).toMatchObject({ side: 'base', model: examples.baseLabel, scenario: pair.scenario });
      expect(cand).toMatchObject({ side: 'cand', model: examples.candidateLabel, scenario: pair.scenario });
    }
    expect([examples.baseLabel, examples.candidateLabel]).toEqual(['assistant-v1', 'assistant-v2']);
    // Every pair of every set shows its change: exactly one of the two cells counts in the metric.
    const counts = (id: string, metric: string) => byId.get(id)?.metrics?.includes(metric) ?? false;
    const flat = examples.sets.flatMap((s) => s.pairs.map((p) => ({ set: s.id, metric: s.metric, ...p })));
    const showing = flat.filter((p) => counts(p.base, p.metric) !== counts(p.cand, p.metric));
    expect(flat.length).toBeGreaterThan(0);
    expect(flat.filter((p) => !showing.includes(p)).slice(0, 5)).toEqual([]);
    await shot(page, 'diff-examples-1440');
  });

  it('search and each filter narrow the transcript list of the diff report to exactly the matching cells', async () => {
    const page = await open('diff', 1440);
    const { cells } = await pageData(page);
    const total = `${cells.length} of ${cells.length} transcripts`;
    const lower = (c: TranscriptCell) =>
      [c.id, c.scenario, c.system ?? '', ...c.messages.map((m) => m.text), c.response ?? '', ...(c.aiValues ?? []).map((v) => v.name)]
        .concat(c.humanValues ?? [], c.userValues)
        .join('\n')
        .toLowerCase();
    const query = cells[37]!.scenario;
    const set = (id: string, value: string) =>
      `(() => { const e = document.getElementById('${id}'); e.value = ${JSON.stringify(value)}; e.dispatchEvent(new Event('change', { bubbles: true })); })()`;
    const checks: { what: string; act: () => Promise<unknown>; keep: (c: TranscriptCell) => boolean }[] = [
      { what: `search ${query}`, act: () => page.type('#transcript-search', query.toUpperCase()), keep: (c) => lower(c).includes(query) },
      { what: 'domain', act: () => page.evaluate(set('domain-filter', cells[0]!.domain)), keep: (c) => c.domain === cells[0]!.domain },
      {
        what: 'response type',
        act: () => page.evaluate(set('type-filter', 'strong_resistance')),
        keep: (c) => c.responseType === 'strong_resistance',
      },
      { what: 'model', act: () => page.evaluate(set('model-filter', 'assistant-v2')), keep: (c) => c.model === 'assistant-v2' },
      { what: 'expectation failed', act: () => page.click('#expect-filter'), keep: (c) => c.expectPass === false },
      { what: 'watch-list hit', act: () => page.click('#watch-filter'), keep: (c) => (c.watchHits?.length ?? 0) > 0 },
      { what: 'changed between sides', act: () => page.click('#changed-filter'), keep: (c) => c.changed === true },
    ];
    expect(await countText(page)).toBe(total);
    for (const check of checks) {
      await check.act();
      const kept = cells.filter(check.keep);
      // The demo's watch list has no hits (its gate rule passes): that filter must empty the list.
      if (check.what === 'watch-list hit') expect(kept).toHaveLength(0);
      else expect(kept.length, check.what).toBeGreaterThan(0);
      expect(kept.length, check.what).toBeLessThan(cells.length);
      await waitForCount(page, `${kept.length} of ${cells.length} transcripts`);
      const shown = await page.evaluate<string[]>(`Array.from(document.querySelectorAll('#browser .cell'), (c) => c.dataset.cell)`);
      if (kept.length > 0) expect(shown.length, check.what).toBeGreaterThan(0);
      const keptIds = new Set(kept.map((c) => c.id));
      for (const id of shown) expect(keptIds.has(id), `${check.what}: ${id}`).toBe(true);
      if (check.what === 'changed between sides') await shot(page, 'diff-changed-filter');
      await page.click('#clear-filters');
      await waitForCount(page, total);
    }
  });

  it('reports open with the SYNTHETIC banner first in <main>, request nothing but the file and data: URLs, and log no error', async () => {
    for (const name of NAMES) {
      const page = await open(name, 1024);
      const first = await page.evaluate<string>(`document.querySelector('main').firstElementChild.className`);
      expect(first.split(' '), name).toEqual(expect.arrayContaining(['banner', 'synthetic']));
      // Use the page: a link, a search, a transcript; nothing of it may reach outside the file.
      if (await page.evaluate<boolean>(`!!document.querySelector('tr.linked[data-link]')`)) await page.click('tr.linked[data-link]');
      await page.type('#transcript-search', 'a');
      await page.waitForSelector('#browser .cell');
    }
    expect(opened.length).toBeGreaterThanOrEqual(3);
    for (const o of opened) {
      expect(o.requests, o.url).toContain(o.url);
      for (const url of o.requests) expect(url === o.url || url.startsWith('data:'), `${o.url} requested ${url}`).toBe(true);
      expect(o.problems, o.url).toEqual([]);
    }
  });

  it('10 random linked rows of the diff report each lead to paired examples or to a non-empty list', async () => {
    const page = await open('diff', 1440);
    const { cells } = await pageData(page);
    const links = await page.evaluate<string[]>(`Array.from(document.querySelectorAll('tr[data-link]'), (r) => r.dataset.link)`);
    expect(links.length).toBeGreaterThanOrEqual(10);
    const random = seeded(13);
    const picks = new Set<number>();
    while (picks.size < 10) picks.add(Math.floor(random() * links.length));
    for (const i of picks) {
      const link = JSON.parse(links[i]!) as { example?: string; metric?: string; domain?: string | null };
      await page.evaluate(`(() => {
        document.querySelector('#examples-panel .panel-close')?.click();
        document.getElementById('clear-filters').click();
        const row = document.querySelectorAll('tr[data-link]')[${i}];
        for (let d = row.closest('details'); d; d = d.parentElement.closest('details')) d.open = true;
        row.setAttribute('data-probe', '${i}');
      })()`);
      await page.click(`tr[data-probe='${i}']`);
      const after = await page.evaluate<{
        example: string | null;
        pairs: number;
        count: string;
        chip: string | null;
      }>(`new Promise((resolve) => {
        const t0 = Date.now();
        const tick = () => {
          const p = document.getElementById('examples-panel'), chip = document.getElementById('active-filter');
          if (!p && chip.hidden && Date.now() - t0 < 3000) return setTimeout(tick, 20);
          resolve({ example: p ? p.dataset.example : null, count: document.getElementById('transcript-count').textContent, chip: chip.hidden ? null : chip.textContent,
            pairs: p ? Array.from(p.querySelectorAll('.pair')).filter((x) => x.querySelector('.pair-side.base .cell') && x.querySelector('.pair-side.cand .cell')).length : 0 });
        };
        tick();
      })`);
      if (link.example !== undefined) {
        expect(after.example, links[i]).toBe(link.example);
        expect(after.pairs, links[i]).toBeGreaterThanOrEqual(1);
      } else {
        const n = cells.filter((c) => c.metrics?.includes(link.metric!) && (link.domain == null || c.domain === link.domain)).length;
        expect(n, links[i]).toBeGreaterThan(0);
        expect(after.count, links[i]).toBe(`${n} of ${cells.length} transcripts`);
        expect(after.chip, links[i]).toContain(link.metric);
      }
    }
  }, 60_000);

  it.skipIf(!writeDocs)(
    'writes the annotated screenshots of docs/reports.md (VALUESCOPE_WRITE_DOC_SCREENSHOTS=1)',
    async () => {
      const legend = await writeDocScreenshots(browser, reports);
      for (const image of legend) expect(image.bytes, image.file).toBeLessThan(400 * 1024);
      expect(legend.reduce((s, i) => s + i.bytes, 0)).toBeLessThan(1.5 * 1024 * 1024);
    },
    60_000,
  );
});
