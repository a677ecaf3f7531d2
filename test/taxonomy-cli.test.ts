import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLISHED_TREE_SHA256 } from '../src/taxonomy/index.js';
import { runCli } from './helpers/cli.js';
import { TREE_CSV } from './helpers/taxonomy-data.js';

const official = readFileSync(TREE_CSV, 'utf8');

let server: Server;
let base = '';
const requests: string[] = [];
beforeAll(async () => {
  const lines = official.split('\n');
  const bodies: Record<string, string> = {
    '/values_tree.csv': official,
    // Same rows, one leaf share changed: passes the counts, fails the share check.
    '/tampered.csv': lines.map((l) => (l.startsWith('helpfulness,') ? l.replace(/,[\d.]+(\r?)$/, ',9.999$1') : l)).join('\n'),
    '/truncated.csv': `${lines.slice(0, 2000).join('\n')}\n`,
    // A harmless edit (a description) changes the hash but not the structure.
    '/edited.csv': official.replace('Values focusing on narrative coherence', 'Values about narrative coherence'),
  };
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = bodies[req.url ?? ''];
    if (body === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/csv' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('valuescope taxonomy pull', () => {
  it('downloads into $XDG_CACHE_HOME/valuescope, verifies counts, shares and the pinned sha256, prints the config line', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'vs-pull-'));
    const env = { XDG_CACHE_HOME: path.join(home, 'xdg'), HOME: home };
    const r = await runCli(['taxonomy', 'pull', '--url', `${base}/values_tree.csv`], { cwd: home, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = path.join(home, 'xdg', 'valuescope', 'values_tree.csv');
    expect(readFileSync(file, 'utf8')).toBe(official);
    expect(r.stdout).toContain(`sha256 ${PUBLISHED_TREE_SHA256} (pinned)`);
    expect(r.stdout).toContain('3307 values, 266 + 26 + 5 categories');
    for (const share of ['Practical 31.4', 'Epistemic 22.', 'Social 21.', 'Protective 13.8', 'Personal 11.'])
      expect(r.stdout).toContain(share);
    expect(r.stdout).toContain(`taxonomy:\n    path: ${file}`);
    expect(r.stdout).toContain('CC BY 4.0');
  });

  it('falls back to ~/.cache/valuescope and honours --dest', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'vs-pull-'));
    expect((await runCli(['taxonomy', 'pull', '--url', `${base}/values_tree.csv`], { cwd: home, env: { HOME: home } })).code).toBe(0);
    expect(existsSync(path.join(home, '.cache', 'valuescope', 'values_tree.csv'))).toBe(true);
    expect(
      (await runCli(['taxonomy', 'pull', '--url', `${base}/values_tree.csv`, '--dest', 'here'], { cwd: home, env: { HOME: home } })).code,
    ).toBe(0);
    expect(existsSync(path.join(home, 'here', 'values_tree.csv'))).toBe(true);
  });

  it.each([
    ['/tampered.csv', /shares do not add up/],
    ['/truncated.csv', /expected 3307 \/ 266 \/ 26 \/ 5 rows/],
    ['/edited.csv', /differs from the pinned .* --allow-unpinned/],
    ['/missing.csv', /HTTP 404/],
  ])('refuses %s and writes nothing', async (url, message) => {
    const home = mkdtempSync(path.join(tmpdir(), 'vs-pull-'));
    const r = await runCli(['taxonomy', 'pull', '--url', `${base}${url}`, '--dest', 'out'], { cwd: home, env: { HOME: home } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(path.join(home, 'out')) ? readdirSync(path.join(home, 'out')) : []).toEqual([]);
  });

  it('keeps a structurally valid but unpinned file only with --allow-unpinned', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'vs-pull-'));
    const r = await runCli(['taxonomy', 'pull', '--url', `${base}/edited.csv`, '--dest', 'out', '--allow-unpinned'], {
      cwd: home,
      env: { HOME: home },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(NOT the pinned version)');
  });

  it('defaults to the official Hugging Face URL', async () => {
    const seen: string[] = [];
    const fetchSpy: typeof fetch = async (input) => {
      seen.push(String(input));
      return new Response('nope', { status: 503 });
    };
    const home = mkdtempSync(path.join(tmpdir(), 'vs-pull-'));
    const r = await runCli(['taxonomy', 'pull'], { cwd: home, env: { HOME: home }, fetch: fetchSpy });
    expect(r.code).toBe(2);
    expect(seen).toEqual(['https://huggingface.co/datasets/Anthropic/values-in-the-wild/resolve/main/values_tree.csv']);
  });
});

describe('valuescope taxonomy show / match', () => {
  it('shows the built-in tree when there is no config', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vs-tax-'));
    const r = await runCli(['taxonomy', 'show'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/taxonomy: builtin@1 \(built-in\)/);
    expect(r.stdout).toMatch(/counts: \d+ leaf values, 0 level-1, 26 level-2, 5 top-level/);
    expect(r.stdout).toContain('  Protective values\n');
    expect(r.stdout).toContain('    Ethical responsibility\n');
  });

  it('shows and matches with the published tree a config points at (path relative to the config)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vs-tax-'));
    writeFileSync(
      path.join(dir, 'config.yaml'),
      `models:\n  - id: m\n    provider: openai\n    model: x\ntaxonomy:\n  path: ${path.relative(dir, TREE_CSV)}\n  threshold: 0.6\n`,
    );
    const show = await runCli(['taxonomy', 'show'], { cwd: dir });
    expect(show.stderr).toBe('');
    expect(show.stdout).toMatch(/taxonomy: values-in-the-wild@73b133464fd5 \(published tree at .*values_tree\.csv\)/);
    expect(show.stdout).toContain('3307 leaf values, 266 level-1, 26 level-2, 5 top-level');
    expect(show.stdout).toContain('lexical (threshold 0.6)');
    const match = await runCli(['taxonomy', 'match', 'honest', 'respect for user autonomy', 'xyzzy', '--candidates', '2'], { cwd: dir });
    expect(match.stdout).toMatch(/^honest -> honesty > .+ > Community and relationship bonds > Social values {2}\[exact, score 1\]$/m);
    expect(match.stdout).toMatch(/^respect for user autonomy -> respect for autonomy > .* \[lexical, score 0\.\d+\]$/m);
    expect(match.stdout).toMatch(/^xyzzy -> \(unmapped\) {2}\[unmapped, score 0\]$/m);
    expect(match.stdout).toMatch(/^ {4}candidate honesty \(1\)$/m);
    expect(match.stdout).toMatch(/\(values-in-the-wild@73b133464fd5; 2 of 3 mapped\)/);
    const json = await runCli(['taxonomy', 'match', 'fair', '--json'], { cwd: dir });
    expect(JSON.parse(json.stdout.split('\n')[0]!)).toMatchObject({ name: 'fair', leaf: 'fairness', method: 'exact', l3: 'Social values' });
  });

  it('reports a missing explicit config', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vs-tax-'));
    const r = await runCli(['taxonomy', 'show', '--config', 'nope.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config file not found/);
  });
});
