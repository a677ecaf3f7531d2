import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { expect, it } from 'vitest';

/**
 * A minimal Chrome DevTools Protocol client over --remote-debugging-pipe (fd 3 in, fd 4 out,
 * NUL-terminated JSON): drives headless Chromium with no WebSocket and no extra dependency.
 */
const CHROMIUM = process.env.VALUESCOPE_CHROMIUM ?? '/usr/bin/chromium';

type Listener = (params: Record<string, unknown>, sessionId?: string) => void;

export class HeadlessChromium {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, Listener[]>();
  private buffer = '';
  private stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly profileDir: string,
  ) {
    const input = child.stdio[4] as Readable;
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => this.onData(chunk));
    (child.stderr as Readable).on('data', (c: Buffer) => (this.stderr = (this.stderr + c.toString()).slice(-4000)));
    child.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error(`chromium exited: ${this.stderr}`));
      this.pending.clear();
    });
  }

  static available(): boolean {
    return existsSync(CHROMIUM);
  }

  static async launch(): Promise<HeadlessChromium> {
    const profileDir = mkdtempSync(path.join(tmpdir(), 'vs-chromium-'));
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--mute-audio',
      '--hide-scrollbars',
      `--user-data-dir=${profileDir}`,
      '--remote-debugging-pipe',
      'about:blank',
    ];
    const child = spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    const browser = new HeadlessChromium(child, profileDir);
    await browser.send('Browser.getVersion', {}, undefined, 20_000);
    return browser;
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const end = this.buffer.indexOf('\0');
      if (end === -1) break;
      const msg = JSON.parse(this.buffer.slice(0, end)) as {
        id?: number;
        method?: string;
        params?: Record<string, unknown>;
        result?: Record<string, unknown>;
        error?: { message: string };
        sessionId?: string;
      };
      this.buffer = this.buffer.slice(end + 1);
      if (msg.id !== undefined) {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(msg.error.message));
        else p?.resolve(msg.result ?? {});
      } else if (msg.method) {
        for (const l of this.listeners.get(msg.method) ?? []) l(msg.params ?? {}, msg.sessionId);
      }
    }
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const out = this.child.stdio[3] as Writable;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`CDP ${method} timed out; chromium stderr: ${this.stderr}`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      out.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  on(method: string, listener: Listener): void {
    this.listeners.set(method, [...(this.listeners.get(method) ?? []), listener]);
  }

  waitFor(method: string, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${method}`)), timeoutMs);
      this.on(method, (p) => {
        clearTimeout(timer);
        resolve(p);
      });
    });
  }

  /** Opens a page in a new tab and returns a handle bound to its session. */
  async open(url: string, size = { width: 1280, height: 900 }): Promise<Page> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const page = new Page(this, sessionId);
    await page.send('Page.enable');
    await page.send('Runtime.enable');
    await page.send('Emulation.setDeviceMetricsOverride', { width: size.width, height: size.height, deviceScaleFactor: 1, mobile: false });
    const loaded = this.waitFor('Page.loadEventFired');
    await page.send('Page.navigate', { url });
    await loaded;
    return page;
  }

  async close(): Promise<void> {
    await this.send('Browser.close', {}, undefined, 5_000).catch(() => undefined);
    if (this.child.exitCode === null) {
      await new Promise((r) => {
        const t = setTimeout(() => {
          this.child.kill('SIGKILL');
          r(undefined);
        }, 5_000);
        this.child.once('exit', () => {
          clearTimeout(t);
          r(undefined);
        });
      });
    }
    rmSync(this.profileDir, { recursive: true, force: true });
  }
}

export class Page {
  constructor(
    private readonly browser: HeadlessChromium,
    readonly sessionId: string,
  ) {}

  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.browser.send(method, params, this.sessionId);
  }

  /** Evaluates an expression in the page (DevTools evaluation is not subject to the page's CSP). */
  async evaluate<T>(expression: string): Promise<T> {
    const r = (await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as {
      result: { value: T };
      exceptionDetails?: { text: string };
    };
    if (r.exceptionDetails) throw new Error(`page error: ${r.exceptionDetails.text}`);
    return r.result.value;
  }

  /** A real mouse click at the centre of the first element matching the selector. */
  async click(selector: string): Promise<void> {
    const box = await this.evaluate<{ x: number; y: number } | null>(
      `(() => { const e = document.querySelector(${JSON.stringify(selector)}); if (!e) return null; e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect(); return { x: r.left + Math.min(r.width / 2, 40), y: r.top + r.height / 2 }; })()`,
    );
    if (!box) throw new Error(`no element matches ${selector}`);
    for (const type of ['mousePressed', 'mouseReleased']) {
      await this.send('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: 1 });
    }
  }

  /** Polls until the selector matches (details 'toggle' events, which render content, fire asynchronously). */
  async waitForSelector(selector: string, timeoutMs = 5_000): Promise<void> {
    const ok = await this.evaluate<boolean>(
      `new Promise((resolve) => { const t0 = Date.now(); const tick = () => { if (document.querySelector(${JSON.stringify(selector)})) resolve(true); else if (Date.now() - t0 > ${timeoutMs}) resolve(false); else setTimeout(tick, 20); }; tick(); })`,
    );
    if (!ok) throw new Error(`timed out waiting for ${selector}`);
  }

  /** Types text into the element matching the selector, as a keyboard would (focus, then one insertText: fires `input`). */
  async type(selector: string, text: string): Promise<void> {
    const found = await this.evaluate<boolean>(
      `(() => { const e = document.querySelector(${JSON.stringify(selector)}); if (!e) return false; e.focus(); return true; })()`,
    );
    if (!found) throw new Error(`no element matches ${selector}`);
    await this.send('Input.insertText', { text });
  }

  /** Presses one key (keyDown + keyUp) in the focused element, e.g. 'Enter' or 'Escape'. */
  async press(key: 'Enter' | 'Escape'): Promise<void> {
    const code = { Enter: 13, Escape: 27 }[key];
    const common = { key, code: key, windowsVirtualKeyCode: code, nativeVirtualKeyCode: code };
    await this.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', ...common });
    await this.send('Input.dispatchKeyEvent', { type: 'keyUp', ...common });
  }

  /** Resizes the viewport (a desktop window of that size, not a zooming mobile one). */
  async resize(width: number, height: number): Promise<void> {
    await this.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
  }

  async screenshot(): Promise<Buffer> {
    const { data } = (await this.send('Page.captureScreenshot', { format: 'png' })) as { data: string };
    return Buffer.from(data, 'base64');
  }
}

/**
 * For a browser test's describe(): true when Chromium is there; otherwise registers a skip that says
 * why, or a failure when VALUESCOPE_REQUIRE_BROWSER=1 (CI), and returns false.
 */
export function chromiumOrSkip(): boolean {
  if (HeadlessChromium.available()) return true;
  if (process.env.VALUESCOPE_REQUIRE_BROWSER === '1')
    it('chromium must be installed when VALUESCOPE_REQUIRE_BROWSER=1', () =>
      expect.fail(`${CHROMIUM} not found: apt-get install chromium`));
  else it.skip(`skipped: ${CHROMIUM} not found (apt-get install chromium; CI sets VALUESCOPE_REQUIRE_BROWSER=1)`, () => undefined);
  return false;
}
