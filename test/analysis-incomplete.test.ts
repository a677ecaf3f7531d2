import { promises as fsp, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { AppContext } from '../src/core/context.js';
import { writeSyntheticRun } from '../src/devtools/simulate/write-synthetic-run.js';

let dir: string;
function ctx(): AppContext & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    cwd: dir,
    env: {},
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    now: () => new Date('2026-01-02T00:00:00Z'),
    fetch: globalThis.fetch,
    signal: new AbortController().signal,
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
const common = { scenarioSeed: 7, domains: 3, scenariosPerDomain: 10, samples: 2, watchRate: 0 };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vs-incomplete-'));
  await writeSyntheticRun(path.join(dir, 'base'), [{ ...common, seed: 1, modelId: 'm' }]);
  await writeSyntheticRun(path.join(dir, 'half'), [{ ...common, seed: 2, modelId: 'm' }]);
  // Half of the cells lost their judgments (say, judging was killed and never resumed).
  const file = path.join(dir, 'half', 'judgments.jsonl');
  const lines = (await fsp.readFile(file, 'utf8')).split('\n').filter(Boolean);
  await fsp.writeFile(file, `${lines.slice(0, 30).join('\n')}\n`);
  // A run with judgments for a model it never ran (copied in from elsewhere).
  await writeSyntheticRun(path.join(dir, 'foreign'), [{ ...common, seed: 3, modelId: 'm' }]);
  const extra = lines
    .slice(0, 5)
    .map((l) => JSON.stringify({ ...JSON.parse(l), modelId: 'other', cellId: `other/${JSON.parse(l).cellId}` }));
  await fsp.appendFile(path.join(dir, 'foreign', 'judgments.jsonl'), `${extra.join('\n')}\n`);
  await fsp.writeFile(
    path.join(dir, 'config.yaml'),
    [
      'models:',
      '  - { id: x, provider: openai, model: gpt-x }',
      'gate:',
      '  resamples: 200',
      '  rules:',
      '    - { name: r, metric: refusal_rate, maxChange: 0.5 }',
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('profile, diff and gate refuse incomplete input (no verdict on half the data)', () => {
  it('a half-judged run: gate, diff and profile exit 2 naming the counts and the command that fixes it', async () => {
    for (const argv of [
      ['gate', 'base', 'half', '--config', 'config.yaml'],
      ['diff', 'base', 'half', '--out', 'd1', '--no-report'],
      ['profile', 'half'],
    ]) {
      const c = ctx();
      expect(await main(argv, c), argv.join(' ')).toBe(2);
      expect(c.err()).toContain(
        `${path.join(dir, 'half')}#m: 30 of 60 cells have no judgment; judge them with: valuescope judge ${path.join(dir, 'half')}`,
      );
      expect(c.err()).toContain('--allow-incomplete');
    }
    await expect(fsp.access(path.join(dir, 'd1', 'diff.json'))).rejects.toThrow();
    await expect(fsp.access(path.join(dir, 'half', 'profile.json'))).rejects.toThrow();
  });

  it('--allow-incomplete proceeds and every output says INCOMPLETE', async () => {
    const c = ctx();
    const code = await main(['gate', 'base', 'half', '--config', 'config.yaml', '--out', 'g', '--no-report', '--allow-incomplete'], c);
    expect([0, 1]).toContain(code);
    const gate = JSON.parse(await fsp.readFile(path.join(dir, 'g', 'gate.json'), 'utf8'));
    expect(gate.warnings[0]).toMatch(/^INCOMPLETE INPUT: .*30 of 60 cells have no judgment/);
    expect(c.err()).toContain('INCOMPLETE INPUT');
    const p = ctx();
    expect(await main(['profile', 'half', '--allow-incomplete'], p)).toBe(0);
    const profile = JSON.parse(await fsp.readFile(path.join(dir, 'half', 'profile.json'), 'utf8'));
    expect(profile.notes[0]).toMatch(/^INCOMPLETE INPUT: /);
  });

  it('judgments for cells the run does not have are refused, not silently counted', async () => {
    const c = ctx();
    expect(await main(['profile', 'foreign'], c)).toBe(2);
    expect(c.err()).toContain('5 judgments are for cells this run does not have');
  });
});
