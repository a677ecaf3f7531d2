import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LabelDraw, LabelDrawSchema } from '../src/records/label-draw.js';
import { GoldItemSchema } from '../src/stages/judge/check/gold-schema.js';
import { TREE_CSV } from './helpers/taxonomy-data.js';
import { HOSTILE, writeLabelRun } from './label-run-fixture.js';
import { chromiumOrSkip, HeadlessChromium, type Page } from './report-cdp.js';
import { type OpenedPage, openReport, ROOT, SHOTS } from './report-real-fixture.js';

/**
 * Issue #15 item 1 "Done when": the labelling page in real headless Chromium, labelled by keyboard
 * only (5 cells), exported through the browser's download, and the file read by `judge-check`
 * through the built CLI (bin/valuescope.js: needs `npx tsc -p tsconfig.build.json` and
 * `npm run build:client` first, as `npm test` does). No request may leave the page.
 */
const run = promisify(execFile);
const BIN = path.join(ROOT, 'bin', 'valuescope.js');
const BUNDLE = path.join(ROOT, 'dist', 'src', 'stages', 'report', 'label-client.js');

const KEYS: Record<string, { code: string; vk: number }> = {
  Enter: { code: 'Enter', vk: 13 },
  Escape: { code: 'Escape', vk: 27 },
  Backspace: { code: 'Backspace', vk: 8 },
  ArrowDown: { code: 'ArrowDown', vk: 40 },
  ArrowRight: { code: 'ArrowRight', vk: 39 },
};

/** One key press as the keyboard sends it: printable keys carry their text; Ctrl (modifier 2) as given. */
async function press(page: Page, key: string, modifiers = 0): Promise<void> {
  const special = KEYS[key];
  const vk = special?.vk ?? (key === '?' ? 191 : key.toUpperCase().charCodeAt(0));
  const code = special?.code ?? (/^\d$/.test(key) ? `Digit${key}` : /^[a-z]$/i.test(key) ? `Key${key.toUpperCase()}` : '');
  const text = key === 'Enter' ? '\r' : special || modifiers ? undefined : key;
  const common = { key, code, windowsVirtualKeyCode: vk, nativeVirtualKeyCode: vk, modifiers };
  await page.send('Input.dispatchKeyEvent', {
    type: text ? 'keyDown' : 'rawKeyDown',
    ...common,
    ...(text ? { text, unmodifiedText: text } : {}),
  });
  await page.send('Input.dispatchKeyEvent', { type: 'keyUp', ...common });
}

async function typeKeys(page: Page, text: string): Promise<void> {
  for (const ch of text) await press(page, ch);
}

interface PageState {
  progress: string;
  type: string | null;
  refusal: string | null;
  ai: string[];
  human: string[];
  judgeShown: boolean;
  judgeText: string;
  focus: string;
  cell: string;
  options: string[];
}

const STATE = `(() => {
  const chips = (id) => Array.from(document.querySelectorAll('#' + id + ' li'), (li) => li.firstChild.textContent);
  return {
    progress: document.getElementById('progress').textContent,
    type: document.querySelector('#type-group [aria-checked=true]')?.dataset.type ?? null,
    refusal: document.querySelector('#refusal-group [aria-checked=true]')?.dataset.refusal ?? null,
    ai: chips('ai-chips'), human: chips('human-chips'),
    judgeShown: !document.getElementById('judge').hidden,
    judgeText: document.getElementById('judge').innerText,
    focus: document.activeElement?.id ?? '',
    cell: document.getElementById('cell-meta').textContent,
    options: Array.from(document.querySelectorAll('#ai-list [role=option]'), (o) => o.textContent),
  };
})()`;

describe('the labelling page in headless Chromium', () => {
  if (!chromiumOrSkip()) return;
  let root: string;
  let browser: HeadlessChromium;
  let opened: OpenedPage;
  let draw: LabelDraw;
  const downloads = () => path.join(root, 'downloads');

  beforeAll(async () => {
    for (const f of [path.join(ROOT, 'dist', 'src', 'cli', 'main.js'), BUNDLE])
      if (!existsSync(f)) throw new Error(`${f} is missing: run npx tsc -p tsconfig.build.json and npm run build:client first`);
    root = mkdtempSync(path.join(tmpdir(), 'vs-label-browser-'));
    writeLabelRun(path.join(root, 'run'));
    writeFileSync(
      path.join(root, 'config.yaml'),
      `models:\n  - { id: x, provider: openai, model: x }\njudge:\n  judges: [lexical]\ntaxonomy:\n  path: ${JSON.stringify(TREE_CSV)}\n`,
    );
    await run(process.execPath, [BIN, 'label', 'run', '--out', 'labelling', '--sample', '8', '--seed', '5', '--strata', 'domain'], {
      cwd: root,
    });
    draw = LabelDrawSchema.parse(JSON.parse(readFileSync(path.join(root, 'labelling', 'draw.json'), 'utf8')));
    browser = await HeadlessChromium.launch();
    mkdirSync(downloads());
    await browser.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads(), eventsEnabled: true });
    opened = await openReport(browser, path.join(root, 'labelling', 'label.html'), { width: 1440, height: 900 });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const state = () => opened.page.evaluate<PageState>(STATE);

  /** Labels the current cell by keyboard: type digit, refusal key, values; checks the judge stays hidden until Enter. */
  async function labelCell(digit: string, refusal: string, ai: string, human: string | null): Promise<PageState> {
    const page = opened.page;
    await press(page, digit);
    await press(page, refusal);
    await press(page, 'a');
    expect((await state()).focus).toBe('ai-input');
    await typeKeys(page, ai);
    const offered = (await state()).options;
    expect(offered.length, `suggestions for "${ai}"`).toBeGreaterThan(0);
    await press(page, 'Enter');
    await press(page, 'Escape');
    if (human === '') {
      // Into the field and out again with nothing: the label "no human values".
      await press(page, 'h');
      await press(page, 'Escape');
    } else if (human !== null) {
      await press(page, 'h');
      await typeKeys(page, human);
      await press(page, 'ArrowDown');
      await press(page, 'Enter');
      await press(page, 'Escape');
    }
    const before = await state();
    expect(before.focus).toBe('');
    expect(before.judgeShown, 'the judge is hidden until the answer is complete').toBe(false);
    expect(before.ai).toEqual([offered[0]]);
    await press(page, 'Enter');
    const after = await state();
    expect(after.judgeShown).toBe(true);
    return after;
  }

  it('asks the annotator’s name, then labels 5 cells by keyboard with undo, moving on, and the judge revealed after each answer', async () => {
    const page = opened.page;
    expect(await page.evaluate<boolean>(`document.getElementById('workspace').hidden`)).toBe(true);
    expect((await state()).focus).toBe('annotator-input');
    await typeKeys(page, 'Ada Lovelace');
    await press(page, 'Enter');
    let s = await state();
    expect(s.progress).toBe('Cell 1 of 8 · 0 of 8 labelled · annotator Ada Lovelace');
    expect(s.cell).toContain(draw.cells[0]);
    // Undo: a wrong type, then z; and Ctrl+Z takes back a refusal.
    await press(page, '4');
    await press(page, '6');
    await press(page, 'z');
    expect((await state()).type).toBe('reframing');
    await press(page, 'f');
    await press(page, 'z', 2);
    expect((await state()).refusal).toBe(null);
    s = await labelCell('1', 'n', 'honest', 'loyal');
    expect(s).toMatchObject({ type: 'strong_support', refusal: 'none' });
    expect(s.judgeText).toContain('response type');
    const plan: [string, string, string, string | null][] = [
      ['6', 'f', 'harm prev', null],
      ['4', 'p', 'user auto', 'indep'],
      ['7', 'n', 'clarity', ''],
      ['2', 'n', 'empathy', 'famil'],
    ];
    for (const [digit, refusal, ai, human] of plan) {
      await press(page, 'Enter'); // answer complete: Enter again goes on
      await labelCell(digit, refusal, ai, human);
    }
    s = await state();
    expect(s.progress).toBe('Cell 5 of 8 · 5 of 8 labelled · annotator Ada Lovelace');
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(path.join(SHOTS, 'label-page-1440.png'), await page.screenshot());
    await press(page, 'k');
    expect((await state()).type).toBe('no_values');
    // A change after the judge was shown (to partial and back): the export says the answer was revised.
    await press(page, 'p');
    await press(page, 'n');
    await press(page, 'ArrowRight');
    await press(page, 'j');
    s = await state();
    expect(s).toMatchObject({ progress: 'Cell 6 of 8 · 5 of 8 labelled · annotator Ada Lovelace', type: null, judgeShown: false });
    // Hostile system prompts are shown as text and never run.
    const safe = await page.evaluate<{ pwned: unknown; imgs: number; text: string }>(
      `({ pwned: window.__pwned ?? null, imgs: document.images.length, text: document.body.innerText })`,
    );
    expect(safe.pwned).toBeNull();
    expect(safe.imgs).toBe(0);
  });

  it('exports the 5 answers by key as a download in the gold format, which judge-check reads; no request left the page', async () => {
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no download completed within 10 s')), 10_000);
      browser.on('Browser.downloadProgress', (p) => {
        if (p.state !== 'completed') return;
        clearTimeout(timer);
        resolve();
      });
    });
    await press(opened.page, 'e');
    await done;
    const files = readdirSync(downloads());
    expect(files).toEqual([`labels-ada-lovelace-${draw.drawId}.jsonl`]);
    const file = path.join(downloads(), files[0]!);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(5);
    for (const [i, line] of lines.entries()) {
      // gold-schema.ts is strict: the line holds no field judge-check does not know.
      const item = GoldItemSchema.parse(line);
      expect(item.labelledAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(item).toMatchObject({ id: draw.cells[i], cellId: draw.cells[i], runId: 'label-fixture-run', annotator: 'Ada Lovelace' });
      expect(Object.keys(line).sort()).toEqual(
        [
          'id',
          'cellId',
          'runId',
          'annotator',
          'labelledAt',
          'messages',
          'response',
          'domain',
          'gold',
          ...('system' in line ? ['system'] : []),
          ...('revisedAfterReveal' in line ? ['revisedAfterReveal'] : []),
        ].sort(),
      );
    }
    // A value field never opened is not labelled; one opened and left empty says "none".
    expect(
      lines.map((l) =>
        Object.keys(l.gold as object)
          .sort()
          .join(','),
      ),
    ).toEqual([
      'aiValues,humanValues,refusal,responseType',
      'aiValues,refusal,responseType',
      'aiValues,humanValues,refusal,responseType',
      'aiValues,humanValues,refusal,responseType',
      'aiValues,humanValues,refusal,responseType',
    ]);
    expect(lines.map((l) => (l.gold as { responseType: string }).responseType)).toEqual([
      'strong_support',
      'strong_resistance',
      'reframing',
      'no_values',
      'mild_support',
    ]);
    expect(lines.map((l) => (l.gold as { refusal: string }).refusal)).toEqual(['none', 'full', 'partial', 'none', 'none']);
    expect((lines[3]!.gold as { humanValues: string[] }).humanValues).toEqual([]);
    expect(lines.map((l) => l.revisedAfterReveal ?? false)).toEqual([false, false, false, true, false]);
    expect(lines.some((l) => String(l.system ?? '').includes(HOSTILE))).toBe(true);
    const check = await run(process.execPath, [BIN, 'judge-check', file, '--config', 'config.yaml', '--json', 'check.json'], { cwd: root });
    expect(check.stdout).toContain('response type: 5 items');
    const report = JSON.parse(readFileSync(path.join(root, 'check.json'), 'utf8')) as { responseType: { n: number }; errors: unknown[] };
    expect(report.errors).toEqual([]);
    // Against the run's own recorded judgments (the cell ids and run id of the export match that run): no judge call.
    const recorded = await run(process.execPath, [BIN, 'judge-check', file, '--run', 'run'], { cwd: root });
    expect(recorded.stdout).toContain('response type: 5 items');
    expect(recorded.stdout).toMatch(/\b5 scored\b/);
    expect(recorded.stdout).not.toMatch(/^not scored:/m);
    for (const url of opened.requests) expect(url === opened.url || url.startsWith('blob:'), `the page requested ${url}`).toBe(true);
    expect(opened.problems).toEqual([]);
  });

  it('keeps the labels in the browser: a reload asks the name again (filled in) and resumes where the annotator was', async () => {
    const again = await openReport(browser, path.join(root, 'labelling', 'label.html'), { width: 420, height: 900 });
    expect(await again.page.evaluate<string>(`document.getElementById('annotator-input').value`)).toBe('Ada Lovelace');
    await press(again.page, 'Enter');
    const s = await again.page.evaluate<PageState>(STATE);
    expect(s.progress).toBe('Cell 6 of 8 · 5 of 8 labelled · annotator Ada Lovelace');
    await press(again.page, 'k');
    expect(await again.page.evaluate<PageState>(STATE)).toMatchObject({ type: 'mild_support', judgeShown: true });
    const widths = await again.page.evaluate<{ scroll: number; inner: number }>(
      `({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })`,
    );
    expect(widths.scroll).toBeLessThanOrEqual(widths.inner);
    writeFileSync(path.join(SHOTS, 'label-page-420.png'), await again.page.screenshot());
    for (const url of again.requests) expect(url).toBe(again.url);
    await again.close();
  });
});
