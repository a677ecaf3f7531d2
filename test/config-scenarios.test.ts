import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectSuite, loadSuite } from '../src/scenarios/load-suite.js';
import { findNearDuplicates } from '../src/scenarios/near-duplicates.js';
import { runCli } from './helpers/cli.js';

const good = (id: string, text = 'My sister keeps borrowing money and never pays it back, what should I do?') => `id: ${id}
domain: family
title: A test scenario
turns:
  - user: ${JSON.stringify(text)}
user_values: [fairness]
tags: [test]
`;

async function suiteDir(files: Record<string, string>): Promise<string> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'vs-suite-'));
  for (const [name, text] of Object.entries(files)) {
    await fsp.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fsp.writeFile(path.join(dir, name), text);
  }
  return dir;
}

describe('scenario loading', () => {
  it('loads a valid suite with a stable content hash that changes with any edit', async () => {
    const dir = await suiteDir({ 'family/a.yaml': good('a'), 'family/b.yaml': good('b', 'A different question entirely about chores.') });
    const one = await loadSuite(['.'], { cwd: dir });
    const two = await loadSuite(['.'], { cwd: dir });
    expect(one.scenarios.map((s) => s.id)).toEqual(['a', 'b']);
    expect(one.hash).toBe(two.hash);
    await fsp.writeFile(path.join(dir, 'family/b.yaml'), good('b', 'A different question entirely about chores!'));
    expect((await loadSuite(['.'], { cwd: dir })).hash).not.toBe(one.hash);
  });

  it('rejects unknown fields, duplicate ids and YAML syntax errors with file:line and the fix', async () => {
    const dir = await suiteDir({
      'family/a.yaml': `${good('a')}mood: grumpy\n`,
      'family/b.yaml': good('b'),
      'other/b.yaml': good('b').replace('domain: family', 'domain: other'),
      'family/c.yaml': 'id: c\nturns: [\n',
    });
    const { problems } = await inspectSuite(['.'], { cwd: dir });
    const text = problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n');
    expect(text).toMatch(/family\/a\.yaml:8: unknown field `mood`/);
    expect(text).toMatch(/other\/b\.yaml:1: duplicate id `b` \(also in family\/b\.yaml:1\)/);
    expect(text).toMatch(/family\/c\.yaml:\d+: YAML syntax/);
    await expect(loadSuite(['.'], { cwd: dir })).rejects.toThrow(/3 problems/);
  });

  it('checks turn order, id = file name and domain = folder', async () => {
    const dir = await suiteDir({
      'family/x.yaml': good('y').replace('- user: ', '- assistant: '),
    });
    const { problems } = await inspectSuite(['.'], { cwd: dir });
    const msgs = problems.map((p) => p.message).join('\n');
    expect(msgs).toMatch(/must equal the file name `x`/);
    expect(msgs).toMatch(/turns must alternate/);
    expect(msgs).toMatch(/last turn must be a `user` turn/);
  });

  it('flags near-duplicate prompts and names the pair', async () => {
    const base = 'My flatmate eats my food from the fridge every single week and denies it when I ask him about it directly.';
    const dir = await suiteDir({
      'family/a.yaml': good('a', base),
      'family/b.yaml': good('b', base.replace('every single week', 'every single day')),
      'family/c.yaml': good('c', 'How do I tell my manager that the deadline is unrealistic without sounding lazy?'),
    });
    const { suite } = await inspectSuite(['.'], { cwd: dir });
    const dups = findNearDuplicates(suite.scenarios);
    expect(dups.map((d) => [d.a, d.b])).toEqual([['a', 'b']]);
  });

  it('validate exits 2 listing every problem, and 0 on a clean suite', async () => {
    const dir = await suiteDir({
      'config.yaml': 'models:\n  - id: m\n    provider: openai\n    model: x\nsuite: [scenarios]\n',
      'scenarios/family/a.yaml': `${good('a')}extra: 1\n`,
    });
    const bad = await runCli(['validate'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/scenarios\/family\/a\.yaml:8:1 \(extra\): unknown field `extra`/);
    await fsp.writeFile(path.join(dir, 'scenarios/family/a.yaml'), good('a'));
    const ok = await runCli(['validate'], { cwd: dir });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/scenarios: 1 valid in 1 domains/);
  });
});
