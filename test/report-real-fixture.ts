import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mulberry32 } from '../src/devtools/local-server/random.js';
import type { ExamplesData } from '../src/stages/report/example-data.js';
import type { TranscriptCell } from '../src/stages/report/transcript-cell.js';
import { runCli } from './helpers/cli.js';
import { type HeadlessChromium, Page } from './report-cdp.js';

/**
 * Real reports for the browser tests: the offline demo (run -> profile -> diff -> gate -> report
 * through the real CLI, SYNTHETIC answers from the local server), plus a gate-only report (gate --out
 * to a directory without diff.json). And a page opener that records every request the page makes.
 */
export const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHOTS = path.join(ROOT, 'test-output', 'screenshots');
const CLIENT_BUNDLE = path.join(ROOT, 'dist', 'src', 'stages', 'report', 'report-client.js');

export interface RealReports {
  run: string;
  diff: string;
  gate: string;
}

/** Runs the demo into `dir` and a gate-only report beside it; returns the three report.html files. */
export async function buildRealReports(dir: string, samples: number): Promise<RealReports> {
  if (!existsSync(CLIENT_BUNDLE)) throw new Error(`${CLIENT_BUNDLE} is missing: run npm run build first`);
  const demo = await runCli(['demo', '--samples', String(samples), '--out', dir], { cwd: dir });
  if (demo.code !== 0 || !/The gate FAILED/.test(demo.stdout)) throw new Error(`demo failed (${demo.code}): ${demo.stderr}`);
  const runs = (await fsp.readdir(path.join(dir, 'runs'))).sort();
  const runDir = path.join(dir, 'runs', runs[runs.length - 1]!);
  const gateDir = path.join(dir, 'gate-only');
  const argv = ['gate', `${runDir}#assistant-v1`, `${runDir}#assistant-v2`, '--config', path.join(dir, 'config.yaml'), '--out', gateDir];
  const gate = await runCli(argv, { cwd: dir });
  if (gate.code !== 1) throw new Error(`gate-only exited ${gate.code}, not 1 (FAIL): ${gate.stderr}`);
  if (existsSync(path.join(gateDir, 'diff.json'))) throw new Error('the gate-only directory has a diff.json');
  return { run: path.join(runDir, 'report.html'), diff: path.join(dir, 'diff', 'report.html'), gate: path.join(gateDir, 'report.html') };
}

/** A page plus what it did: every request URL, and every exception or error message it logged. */
export interface OpenedPage {
  page: Page;
  url: string;
  requests: string[];
  problems: string[];
  close: () => Promise<void>;
}

/**
 * Opens `file` in a new tab, listening to the Network, Log and Runtime domains from before the
 * navigation. `bypassCsp` (for annotated screenshots only) lets injected elements be styled.
 */
export async function openReport(
  browser: HeadlessChromium,
  file: string,
  size: { width: number; height: number },
  bypassCsp = false,
): Promise<OpenedPage> {
  const url = pathToFileURL(file).href;
  const { targetId } = (await browser.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
  const { sessionId } = (await browser.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
  const page = new Page(browser, sessionId);
  const requests: string[] = [];
  const problems: string[] = [];
  const mine = (f: (p: Record<string, unknown>) => void) => (p: Record<string, unknown>, sid?: string) => {
    if (sid === sessionId) f(p);
  };
  browser.on(
    'Network.requestWillBeSent',
    mine((p) => requests.push((p.request as { url: string }).url)),
  );
  browser.on(
    'Runtime.exceptionThrown',
    mine((p) => problems.push(`exception: ${JSON.stringify(p.exceptionDetails).slice(0, 300)}`)),
  );
  browser.on(
    'Log.entryAdded',
    mine((p) => problems.push(`log: ${JSON.stringify(p.entry).slice(0, 300)}`)),
  );
  browser.on(
    'Runtime.consoleAPICalled',
    mine((p) => {
      if (p.type === 'error' || p.type === 'warning') problems.push(`console.${p.type}: ${JSON.stringify(p.args).slice(0, 300)}`);
    }),
  );
  for (const domain of ['Page', 'Runtime', 'Network', 'Log']) await page.send(`${domain}.enable`);
  if (bypassCsp) await page.send('Page.setBypassCSP', { enabled: true });
  await page.resize(size.width, size.height);
  const loaded = browser.waitFor('Page.loadEventFired', 30_000);
  await page.send('Page.navigate', { url });
  await loaded;
  const close = async () => {
    await browser.send('Target.closeTarget', { targetId }).catch(() => undefined);
  };
  return { page, url, requests, problems, close };
}

/** The JSON blocks the page's script reads: every transcript cell, and the paired examples. */
export function pageData(page: Page): Promise<{ cells: TranscriptCell[]; examples: ExamplesData }> {
  return page.evaluate(
    `({ cells: JSON.parse(document.getElementById('cells').textContent), examples: JSON.parse(document.getElementById('examples')?.textContent ?? '{"baseLabel":"","candidateLabel":"","sets":[]}') })`,
  );
}

/** The local server's seeded generator, so the sampled rows are the same on every run. */
export const seeded = mulberry32;

/** The widest element outside a scrolling table box, to name the culprit when the page overflows. */
export const OVERFLOW = `(() => {
  const inner = window.innerWidth;
  let widest = '', right = inner;
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.right > right + 0.5 && !e.closest('.table-wrap')) { right = r.right; widest = e.tagName + '#' + e.id + '.' + e.className; }
  }
  return { scroll: document.documentElement.scrollWidth, inner, widest };
})()`;
