import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import type { HeadlessChromium, Page } from './report-cdp.js';
import { openReport, type RealReports, ROOT, SHOTS } from './report-real-fixture.js';

/**
 * The annotated screenshots of docs/reports.md (written when VALUESCOPE_WRITE_DOC_SCREENSHOTS=1):
 * the demo's real reports with numbered red callouts, cropped, stored as 256-colour PNGs, and the
 * legend (badge number -> what it marks) in test-output/screenshots/legend.json.
 */
const DOC_IMAGES = path.join(ROOT, 'docs', 'images');

/** One numbered callout: what it marks (for the legend), a JS expression giving its element(s), where its badge goes. */
type Callout = [marks: string, find: string, place?: 'left' | 'after' | 'inside'];

/** One image: which report, how wide, what to mark, where the crop ends, what to click first. */
interface DocShot {
  file: string;
  report: keyof RealReports;
  width: number;
  callouts: Callout[];
  /** JS expression: the element whose bottom ends the crop; 'viewport' for the window as it is. */
  until: string;
  /** Runs before the callouts are drawn; the crop then starts at the transcripts. */
  prepare?: Prepare;
}
type Prepare = (page: Page) => Promise<void>;

const byId = (id: string) => `document.getElementById(${JSON.stringify(id)})`;
const first = (selector: string) => `document.querySelector(${JSON.stringify(selector)})`;
const after = (id: string) => `${byId(id)}.nextElementSibling`;
/** The text of an element (a Range: its box is the text's, not the element's). */
const textOf = (expr: string) => `(() => { const r = document.createRange(); r.selectNodeContents(${expr}); return r; })()`;
const withNext = (id: string) => `[${byId(id)}, ${after(id)}]`;
const para = (text: string) =>
  `Array.from(document.querySelectorAll('main > p')).find((p) => p.textContent.trim() === ${JSON.stringify(text)})`;
const details = (start: string) =>
  `Array.from(document.querySelectorAll('main details')).find((d) => d.querySelector('summary').textContent.startsWith(${JSON.stringify(start)}))`;

const BANNER: Callout = ['SYNTHETIC banner (demo data)', first('main > .banner.synthetic')];
const SUMMARY: Callout[] = [
  BANNER,
  ['gate verdict: rules passed, failed, inconclusive; the two sides; paired scenarios', byId('verdict')],
  ['why: one sentence per failed or inconclusive rule, then the rules that passed', after('verdict')],
  [
    'What this comparison could not see: the smallest change each rule can detect (MDE, 80% power)',
    `[${para('What this comparison could not see')}, ${para('What this comparison could not see')}.nextElementSibling]`,
  ],
  [
    'largest significant changes, concerning ones first; click a row for paired example transcripts',
    `${byId('top-changes')}.closest('.table-wrap')`,
  ],
  ['gate rules: Δ, interval, margin, q, MDE and reading per rule', `[${byId('gate')}, ${byId('gate-rules')}.closest('.table-wrap')]`],
  ['each rule in words, as the CI log prints it (folded)', details('Each rule in words')],
];

/** Clicks the first element matching `selector` outside closed details, then waits for `wait` to appear. */
const clickThen = (selector: string, wait: string) => async (page: Page) => {
  await page.evaluate(`(() => {
    document.querySelector('[data-doc-shot]')?.removeAttribute('data-doc-shot');
    Array.from(document.querySelectorAll(${JSON.stringify(selector)})).find((e) => !e.closest('details:not([open])')).setAttribute('data-doc-shot', '1');
  })()`);
  await page.click('[data-doc-shot]');
  await page.waitForSelector(wait);
  await new Promise((r) => setTimeout(r, 300));
};
const OPEN_EXAMPLES = clickThen('table#top-changes tbody tr.linked', '#examples-panel .cell');
/** The examples of the first top change, then "list these cells": the transcript browser with a link filter. */
const LIST_EXAMPLES: Prepare = async (page) => {
  await OPEN_EXAMPLES(page);
  await clickThen('#examples-panel .panel-list', '#browser .cell')(page);
};

/** A shot with its prepare step (when not null) before its callouts, so each reads top to bottom. */
const docShot = (file: string, report: keyof RealReports, width: number, until: string, prepare: Prepare | null, callouts: Callout[]) =>
  ({ file, report, width, until, callouts, ...(prepare ? { prepare } : {}) }) as DocShot;

const RUN_SHOT = docShot('report-run.png', 'run', 1440, after('top-values'), null, [
  BANNER,
  ['run status: cells done and errored, scenarios × samples', after('summary-top')],
  ['headline shares per model with 95% intervals; click a figure for its transcripts', `${after('summary-top')}.nextElementSibling`],
  [
    'served models as the API reported them; answers reused from the cache',
    `${after('summary-top')}.nextElementSibling.nextElementSibling`,
  ],
  ['watch-list hits', para('Watch list: no hits.')],
  ['profiles: judged and errored cells, values per response, headline shares', withNext('summary')],
  ['response types (response to the user’s values)', withNext('response-types')],
  ['top-level value categories beside the Values in the Wild reference', withNext('categories')],
  ['most frequent values per model', withNext('top-values')],
]);

const DIFF_SHOT = docShot('report-diff.png', 'diff', 1440, `${after('family-response')}.nextElementSibling`, null, [
  ...SUMMARY,
  ['changes by family: how many metrics changed significantly, the family q corrects over', withNext('changes')],
  ['one family’s table: each overall metric, both sides, Δ, interval, q, reading; rows link to examples', withNext('family-response')],
  ['the same family per domain (folded)', `${after('family-response')}.nextElementSibling`],
]);

const GATE_SHOT = docShot('report-gate.png', 'gate', 1440, byId('profiles'), null, [
  ...SUMMARY,
  ['provenance: runs, suite, judge, price', withNext('provenance')],
  ['provenance details: runs, models, judge, retries, tokens, cost per side (folded)', byId('provenance-details')],
  ['the two profiles side by side (folded)', byId('profiles')],
]);

const PHONE_SHOT = docShot('report-diff-phone.png', 'diff', 420, `${byId('top-changes')}.closest('.table-wrap')`, null, [
  ...SUMMARY.slice(0, 4),
  ['largest significant changes (the table scrolls sideways)', SUMMARY[4]![1]],
]);

const EXAMPLES_SHOT = docShot('report-examples.png', 'diff', 1440, 'viewport', OPEN_EXAMPLES, [
  ['the clicked row of the largest changes', first('table#top-changes tbody tr.linked')],
  ['the change the examples illustrate (here a gate rule’s metric)', textOf(byId('examples-title')), 'after'],
  [
    'how the examples were chosen: the scenarios where the two sides differ most in that direction',
    first('#examples-panel .detail'),
    'inside',
  ],
  [
    'list these cells in the transcript browser; Close (or press Escape)',
    `[${first('#examples-panel .panel-list')}, ${first('#examples-panel .panel-close')}]`,
  ],
  ['the base model’s answer to one scenario', first('#examples-panel .pair-side.base'), 'inside'],
  ['the candidate’s answer to the same scenario', first('#examples-panel .pair-side.cand'), 'inside'],
]);

const TRANSCRIPTS_SHOT = docShot('report-transcripts.png', 'diff', 1440, first('#browser .cell'), LIST_EXAMPLES, [
  [
    'search (scenario id, prompt, answer or value name); filters: domain, response type, model; expectation failed, watch-list hit, changed between sides (diff only); clear filters',
    byId('transcript-controls'),
  ],
  ['the filter a link set (here: the examples of the top change), with its clear button', byId('active-filter')],
  ['how many transcripts match', byId('transcript-count')],
  ['a domain group, then its scenarios (the first groups open)', first('#browser details.domain > summary')],
  ['judgment tags: response type, expectation met or failed, changed between sides, user values', first('#browser .cell .tags')],
  ['the answer, with the evidence the judge quoted highlighted (hover for the value)', `${first('#browser .cell mark')}.closest('.msg')`],
  ['the judgment: judge, values with category and quoted evidence', first('#browser .cell .judgment')],
]);

const DOC_SHOTS = [RUN_SHOT, DIFF_SHOT, GATE_SHOT, PHONE_SHOT, EXAMPLES_SHOT, TRANSCRIPTS_SHOT];

/**
 * Draws a red numbered badge for each callout and a red frame round its element(s). The badge goes in
 * the left margin when there is room, else inside the frame's top-right corner, or as `place` says;
 * on a narrow page it sits in the flow, on its own line above the element. Badges and frames are
 * elements added by DevTools, styled through the CSSOM. Throws when a callout finds nothing.
 */
async function drawCallouts(page: Page, callouts: readonly Callout[]): Promise<void> {
  const finders = `[${callouts.map((c) => `() => ${c[1]}`).join(',')}]`;
  const missing = await page.evaluate<number[]>(`(() => {
    const BADGE = { width: '28px', height: '28px', borderRadius: '50%', background: '#d62728', color: '#fff', font: 'bold 16px/28px sans-serif',
      textAlign: 'center', boxShadow: '0 0 0 2px #fff, 0 1px 4px rgba(0,0,0,.4)', zIndex: 9999 };
    const div = (style, text) => { const e = document.createElement('div'); e.textContent = text; Object.assign(e.style, style); return e; };
    const found = ${finders}.map((find) => [find()].flat().filter(Boolean));
    const missing = found.flatMap((f, i) => (f.length === 0 ? [i + 1] : []));
    if (missing.length > 0) return missing;
    const places = ${JSON.stringify(callouts.map((c) => c[2] ?? null))}.map((p) => p ?? (innerWidth < 700 ? 'flow' : 'auto'));
    found.forEach((f, i) => { if (places[i] === 'flow') f[0].before(div({ ...BADGE, margin: '10px 0 6px' }, String(i + 1))); });
    found.forEach((f, i) => {
      const rs = f.map((e) => e.getBoundingClientRect());
      const left = Math.min(...rs.map((r) => r.left)), top = Math.min(...rs.map((r) => r.top));
      const width = Math.max(...rs.map((r) => r.right)) - left, height = Math.max(...rs.map((r) => r.bottom)) - top;
      const x = left + scrollX, y = top + scrollY;
      document.body.append(div({ position: 'absolute', left: (x - 4) + 'px', top: (y - 3) + 'px', width: (width + 8) + 'px', height: (height + 6) + 'px',
        border: '2px solid #d62728', borderRadius: '6px', pointerEvents: 'none', zIndex: 9998, boxSizing: 'border-box' }, ''));
      const place = places[i] === 'auto' ? (left >= 44 ? 'left' : 'inside') : places[i];
      if (place === 'flow') return;
      const bx = place === 'left' ? x - 40 : place === 'after' ? x + width + 10 : x + width - 34;
      document.body.append(div({ ...BADGE, position: 'absolute', left: bx + 'px', top: (y + (place === 'inside' ? 3 : -2)) + 'px' }, String(i + 1)));
    });
    return [];
  })()`);
  if (missing.length > 0) throw new Error(`callouts ${missing.join(', ')} found no element`);
}

/** The screenshot of one DocShot: the window as it is, or from the top (of the page or the transcripts) to `until`. */
async function shoot(page: Page, shot: DocShot): Promise<Buffer> {
  if (shot.until === 'viewport') return page.screenshot();
  const top = shot.prepare ? await page.evaluate<number>(`${byId('transcripts')}.getBoundingClientRect().top + scrollY - 8`) : 0;
  const bottom = await page.evaluate<number>(`${shot.until}.getBoundingClientRect().bottom + scrollY + 24`);
  const { data } = (await page.send('Page.captureScreenshot', {
    format: 'png',
    captureBeyondViewport: true,
    clip: { x: 0, y: top, width: shot.width, height: Math.round(bottom - top), scale: 1 },
  })) as { data: string };
  return Buffer.from(data, 'base64');
}

type LegendEntry = { file: string; width: number; height: number; bytes: number; callouts: { n: number; marks: string }[] };

/** Writes docs/images/<file> for every shot, and the legend; prints the legend too. */
export async function writeDocScreenshots(browser: HeadlessChromium, reports: RealReports): Promise<LegendEntry[]> {
  mkdirSync(DOC_IMAGES, { recursive: true });
  const legend: LegendEntry[] = [];
  for (const shot of DOC_SHOTS) {
    const size = { width: shot.width, height: shot.until === 'viewport' ? 1000 : 900 };
    const { page, close } = await openReport(browser, reports[shot.report], size, true);
    await shot.prepare?.(page);
    await drawCallouts(page, shot.callouts);
    const { png, width, height } = toPalettePng(await shoot(page, shot));
    await close();
    writeFileSync(path.join(DOC_IMAGES, shot.file), png);
    const callouts = shot.callouts.map((c, i) => ({ n: i + 1, marks: c[0] }));
    legend.push({ file: `docs/images/${shot.file}`, width, height, bytes: png.length, callouts });
  }
  writeFileSync(path.join(SHOTS, 'legend.json'), `${JSON.stringify(legend, null, 2)}\n`);
  for (const l of legend)
    console.log(
      `${l.file} (${l.width}×${l.height}, ${Math.round(l.bytes / 1024)} KB)\n${l.callouts.map((c) => `  ${c.n} -> ${c.marks}`).join('\n')}`,
    );
  return legend;
}

// ---- 256-colour PNG: Chromium's screenshots are RGB; text on flat colours needs far fewer colours.

/** Undoes one row's PNG filter in place (`prev` is the unfiltered row above, or zeros). */
function unfilter(type: number, row: Buffer, prev: Buffer, bpp: number): void {
  for (let i = 0; i < row.length; i++) {
    const a = i >= bpp ? row[i - bpp]! : 0;
    const b = prev[i]!;
    const c = i >= bpp ? prev[i - bpp]! : 0;
    let add = 0;
    if (type === 1) add = a;
    else if (type === 2) add = b;
    else if (type === 3) add = (a + b) >> 1;
    else if (type === 4) {
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      add = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
    row[i] = (row[i]! + add) & 255;
  }
}

/** An 8-bit, non-interlaced RGB or RGBA PNG as 0xRRGGBB pixels (alpha dropped: screenshots are opaque). */
function decodePng(png: Buffer): { width: number; height: number; pixels: Uint32Array } {
  const idat: Buffer[] = [];
  let header: Buffer | undefined;
  for (let at = 8; at < png.length; at += 12 + png.readUInt32BE(at)) {
    const data = png.subarray(at + 8, at + 8 + png.readUInt32BE(at));
    const type = png.toString('latin1', at + 4, at + 8);
    if (type === 'IHDR') header = data;
    if (type === 'IDAT') idat.push(data);
  }
  if (header?.[8] !== 8 || header[12] !== 0 || (header[9] !== 2 && header[9] !== 6)) throw new Error('not an 8-bit RGB(A) PNG');
  const [width, height, bpp] = [header.readUInt32BE(0), header.readUInt32BE(4), header[9] === 6 ? 4 : 3];
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const pixels = new Uint32Array(width * height);
  let prev: Buffer = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    unfilter(raw[y * (stride + 1)]!, row, prev, bpp);
    for (let x = 0; x < width; x++) pixels[y * width + x] = (row[x * bpp]! << 16) | (row[x * bpp + 1]! << 8) | row[x * bpp + 2]!;
    prev = row;
  }
  return { width, height, pixels };
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** Re-encodes a screenshot with its 256 most frequent colours, every other colour mapped to the nearest. */
function toPalettePng(png: Buffer): { png: Buffer; width: number; height: number } {
  const { width, height, pixels } = decodePng(png);
  const counts = new Map<number, number>();
  for (const p of pixels) counts.set(p, (counts.get(p) ?? 0) + 1);
  const palette = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, 256)
    .map(([rgb]) => rgb);
  const channels = (rgb: number) => [rgb >> 16, (rgb >> 8) & 255, rgb & 255] as const;
  const nearest = (rgb: number) => {
    const [r, g, b] = channels(rgb);
    const dist = (p: number) => {
      const [pr, pg, pb] = channels(p);
      return (r - pr) ** 2 + (g - pg) ** 2 + (b - pb) ** 2;
    };
    return palette.reduce((best, p, i) => (dist(p) < dist(palette[best]!) ? i : best), 0);
  };
  const index = new Map([...counts.keys()].map((rgb) => [rgb, nearest(rgb)]));
  const raw = Buffer.alloc((width + 1) * height);
  for (let i = 0; i < pixels.length; i++) raw[Math.floor(i / width) * (width + 1) + 1 + (i % width)] = index.get(pixels[i]!)!;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 3, 0, 0, 0], 8);
  const plte = Buffer.from(palette.flatMap((rgb) => [...channels(rgb)]));
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  const out = [chunk('IHDR', header), chunk('PLTE', plte), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))];
  return { png: Buffer.concat([signature, ...out]), width, height };
}
