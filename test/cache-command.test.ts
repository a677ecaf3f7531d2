import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseDuration } from '../src/app/cache-command.js';
import { ResponseCache } from '../src/calls/response-cache.js';
import { runCli } from './helpers/cli.js';

let project: string;
beforeEach(async () => {
  project = await mkdtemp(path.join(tmpdir(), 'vs-cache-'));
  // The config lives in a subfolder: cacheDir resolves against it, not against the working directory.
  await mkdir(path.join(project, 'conf'));
  const config = { cacheDir: '../mycache', models: [{ id: 'm', provider: 'openai', model: 'x', maxTokens: 10 }] };
  await writeFile(path.join(project, 'conf', 'config.yaml'), stringify(config));
});
afterEach(() => rm(project, { recursive: true, force: true }));

const DAY = 86_400_000;
const cacheDir = () => path.join(project, 'mycache');
const cli = (args: string[]) => runCli(['cache', ...args], { cwd: project });

/** Three entries of each kind-ish, two of them 30 days old, plus files that are not entries. */
async function fill(): Promise<{ old: string[]; fresh: string[]; others: string[] }> {
  const cache = new ResponseCache(cacheDir());
  const put = async (parts: unknown, value: unknown, ageMs: number): Promise<string> => {
    const key = cache.keyFor(parts);
    await cache.put(key, value);
    const file = path.join(cacheDir(), key.slice(0, 2), `${key}.json`);
    const t = new Date(Date.now() - ageMs);
    await utimes(file, t, t);
    return file;
  };
  const response = { text: 'hi', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 }, latencyMs: 3, warnings: [] };
  const old = [await put({ a: 1 }, response, 30 * DAY), await put({ a: 2 }, { judgment: {}, usage: {} }, 30 * DAY)];
  const fresh = [await put({ a: 3 }, 'leaf', DAY), await put({ a: 4 }, response, 0)];
  const shard = path.dirname(old[0]!);
  const others = [
    path.join(cacheDir(), 'README.txt'),
    path.join(shard, 'notes.json'),
    path.join(shard, `${path.basename(old[0]!)}.123.tmp`),
    path.join(cacheDir(), 'zz', `${'f'.repeat(64)}.json`),
    // A name that looks like a key but sits in the wrong shard.
    path.join(cacheDir(), 'ab', `${'c'.repeat(64)}.json`),
  ];
  for (const f of others) {
    await mkdir(path.dirname(f), { recursive: true });
    await writeFile(f, '{}');
    const t = new Date(Date.now() - 60 * DAY);
    await utimes(f, t, t);
  }
  return { old, fresh, others };
}

async function listAll(): Promise<string[]> {
  const entries = await readdir(cacheDir(), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('valuescope cache', () => {
  it('info: entries, bytes, oldest and newest per kind, from the config cacheDir', async () => {
    await fill();
    const r = await cli(['info', '--config', 'conf/config.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('cache mycache:');
    expect(r.stdout).toMatch(/model responses +2 entries +\d+ B +oldest \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC +newest/);
    expect(r.stdout).toMatch(/judge answers +1 entry/);
    expect(r.stdout).toMatch(/value placements +1 entry/);
    expect(r.stdout).toMatch(/total +4 entries/);
    const oldest = new Date(Date.now() - 30 * DAY).toISOString().slice(0, 10);
    expect(r.stdout).toContain(`oldest ${oldest}`);
  });

  it('prune --older-than 14d removes only entries written before then, nothing else in the directory', async () => {
    const { old, fresh, others } = await fill();
    const r = await cli(['prune', '--older-than', '14d', '--config', 'conf/config.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/removed 2 entries \(\d+ B\) written before .*; kept 2 entries/);
    expect((await listAll()).sort()).toEqual([...fresh, ...others].sort());
    for (const f of old) expect(await listAll()).not.toContain(f);
  });

  it('clear removes every entry and only entries; --dir names the directory without a config', async () => {
    const { others } = await fill();
    const r = await runCli(['cache', 'clear', '--dir', '../mycache'], { cwd: path.join(project, 'conf') });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/removed 4 entries \(\d+ B\)/);
    expect((await listAll()).sort()).toEqual([...others].sort());
    const again = await cli(['info', '--dir', 'mycache']);
    expect(again.stdout).toContain('empty');
  });

  it('a missing cache directory is empty, not an error', async () => {
    const r = await cli(['info', '--config', 'conf/config.yaml']);
    expect([r.code, r.stdout]).toEqual([0, 'cache mycache: empty (no entries)\n']);
    expect((await cli(['clear', '--dir', 'nothing-here'])).code).toBe(0);
  });

  it('bad input exits 2 naming the flag or the path', async () => {
    await fill();
    for (const bad of ['14', '2weeks', '-1d', 'd', '']) {
      const r = await cli(['prune', '--older-than', bad, '--dir', 'mycache']);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain('--older-than');
    }
    const missing = await cli(['prune', '--dir', 'mycache']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--older-than');
    await writeFile(path.join(project, 'afile'), 'x');
    const notDir = await cli(['info', '--dir', 'afile']);
    expect(notDir.code).toBe(2);
    expect(notDir.stderr).toContain('cannot read the cache directory afile');
    expect((await cli(['info'])).code).toBe(2); // no config.yaml in the working directory
    expect((await listAll()).length).toBe(9);
  });

  it('parses durations in days, hours, minutes and seconds', () => {
    expect(parseDuration('14d', '--older-than')).toBe(14 * DAY);
    expect(parseDuration('12h', '--older-than')).toBe(12 * 3_600_000);
    expect(parseDuration('30m', '--older-than')).toBe(1_800_000);
    expect(parseDuration('1.5h', '--older-than')).toBe(5_400_000);
    expect(() => parseDuration('14 days', '--older-than')).toThrow(/--older-than expects a duration such as 14d/);
  });
});
