import { promises as fsp, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { loadSuite } from '../src/scenarios/load-suite.js';
import type { Scenario } from '../src/scenarios/schema.js';
import { planRun } from '../src/stages/run/plan.js';
import { excludingGlob, selectedBy } from '../src/stages/run/scenario-glob.js';
import { runCli } from './helpers/cli.js';

/**
 * `systemCombine: refuse` met by scenarios with their own system prompt (a new-user trial): the
 * error counts scenarios and targets apart, names where each target's setting is written (entry or
 * variant, file:line:column), and prints a --scenarios value that, pasted back, plans the rest.
 */
let dir: string;
const cli = (argv: string[]) => runCli(argv, { cwd: dir, env: {} });

const CONFIG = [
  'models:', // line 1
  '  - id: assistant', // 2
  '    provider: openai', // 3
  '    model: x', // 4
  '    system: You are careful.', // 5
  '    systemCombine: refuse', // 6: the entry's, inherited by both variants
  '    variants:', // 7
  '      old-prompt: {}', // 8
  '      new-prompt:', // 9
  '        system: You are bold.', // 10
  '  - id: strict', // 11
  '    provider: openai', // 12
  '    model: y', // 13
  '    variants:', // 14
  '      v:', // 15
  '        system: Be strict.', // 16
  '        systemCombine: refuse', // 17: the variant's own
  '',
].join('\n');

const scenarioFile = (id: string, system: string | null): string =>
  `id: ${id}\ndomain: d\ntitle: ${id}\n${system ? `system: ${system}\n` : ''}turns:\n  - user: Hello there, can you help me with this?\n`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vs-trial-refuse-'));
  await fsp.mkdir(path.join(dir, 'scenarios', 'd'), { recursive: true });
  await fsp.writeFile(path.join(dir, 'config.yaml'), CONFIG);
  // persona-shop-2's name starts like persona-shop's, and has no system prompt: the value must leave out exactly two.
  await fsp.writeFile(path.join(dir, 'scenarios', 'd', 'persona-shop.yaml'), scenarioFile('persona-shop', 'You are a shop bot.'));
  await fsp.writeFile(path.join(dir, 'scenarios', 'd', 'persona-bank.yaml'), scenarioFile('persona-bank', 'You are a bank bot.'));
  await fsp.writeFile(path.join(dir, 'scenarios', 'd', 'persona-shop-2.yaml'), scenarioFile('persona-shop-2', null));
  await fsp.writeFile(path.join(dir, 'scenarios', 'd', 'plain.yaml'), scenarioFile('plain', null));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('systemCombine: refuse met by scenarios with their own system prompt', () => {
  it('counts scenarios and targets apart, and names where each setting is written', async () => {
    const r = await cli(['run', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /cannot plan the run: 2 scenarios set their own system prompt, which 3 targets refuse \(systemCombine: refuse\)/,
    );
    expect(r.stderr).not.toMatch(/6 scenario/);
    // Inherited from the entry: the entry's line 6, not the variant.
    expect(r.stderr).toMatch(
      /target 'assistant@old-prompt' has systemCombine: refuse \(set on its entry models\[assistant\], config\.yaml:6:20\)/,
    );
    expect(r.stderr).toMatch(
      /target 'assistant@new-prompt' has systemCombine: refuse \(set on its entry models\[assistant\], config\.yaml:6:20\)/,
    );
    // The variant's own: line 17.
    expect(r.stderr).toMatch(
      /target 'strict@v' has systemCombine: refuse \(set on its variant models\[strict\]\.variants\.v, config\.yaml:17:24\)/,
    );
    expect(r.stderr).not.toMatch(/models\[assistant\]\.variants/);
  });

  it('validate prints the same --scenarios value as run', async () => {
    const [v, r] = [await cli(['validate']), await cli(['run', '--dry-run'])];
    const fromRun = /run with --scenarios ('[^']+') to leave them out/.exec(r.stderr)?.[1];
    expect(fromRun).toBeDefined();
    expect(v.stdout + v.stderr).toContain(`to run without the 2 refused scenarios: --scenarios ${fromRun}`);
  });

  it('prints a --scenarios value that, passed back, plans every other scenario', async () => {
    const r = await cli(['run', '--dry-run']);
    const m = /run with --scenarios '([^']+)' to leave them out/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    const again = await cli(['run', '--dry-run', '--scenarios', m![1]!]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Plan: 3 model\(s\) x 2 scenario\(s\)/);
    // Exactly the two without a system prompt are left, whether the suite is loaded relative or absolute.
    const loaded = await loadConfig('config.yaml', { env: {}, cwd: dir });
    for (const where of ['scenarios', path.join(dir, 'scenarios')]) {
      const suite = await loadSuite([where], { cwd: dir });
      const plan = planRun(loaded.config, suite.scenarios, { scenarios: m![1]! });
      expect(plan.scenarios.map((s) => s.id).sort()).toEqual(['persona-shop-2', 'plain']);
    }
  });

  it('says the value replaces a --scenarios glob already given', async () => {
    const r = await cli(['run', '--dry-run', '--scenarios', 'd/**']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--scenarios '[^']+' to leave them out \(in place of your --scenarios d\/\*\*\)/);
  });
});

describe('excludingGlob', () => {
  const scenario = (id: string, file: string, suitePath?: string): Scenario => ({
    id,
    domain: 'd',
    title: id,
    messages: [{ role: 'user', content: 'q' }],
    userValues: [],
    tags: [],
    file,
    ...(suitePath !== undefined ? { suitePath } : {}),
    hash: id,
  });
  const kept = (suite: Scenario[], glob: string) => suite.filter(selectedBy(glob.slice(1, -1))).map((s) => s.id);

  it('leaves out exactly the named scenarios, glob characters and nested folders included', () => {
    const suite = [
      scenario('a', 'scenarios/d/a.yaml'),
      scenario('a-2', 'scenarios/d/a-2.yaml'),
      scenario('odd', '/abs/scenarios/d/sub/we{i,r}d (1).yml', 'd/sub/we{i,r}d (1).yml'),
      scenario('b', '/abs/scenarios/e/b.yaml', 'e/b.yaml'),
    ];
    const glob = excludingGlob(suite, [suite[0]!, suite[2]!])!;
    expect(glob).toMatch(/^'!\{.*\}'$/);
    expect(kept(suite, glob)).toEqual(['a-2', 'b']);
  });

  it('gives no value when a name is beyond its reach (a dot folder), rather than a wrong one', () => {
    const suite = [scenario('h', '.hidden/d/h.yaml'), scenario('k', 'scenarios/d/k.yaml')];
    expect(excludingGlob(suite, [suite[0]!])).toBeNull();
  });
});
