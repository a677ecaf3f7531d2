import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../src/config/model-schema.js';
import { closestName } from '../src/config/suggest.js';
import type { LocalServer } from '../src/devtools/local-server/server.js';
import { writeSyntheticRun } from '../src/devtools/simulate/write-synthetic-run.js';
import { PROVIDER_NAMES } from '../src/providers/registry.js';
import { loadSuite } from '../src/scenarios/load-suite.js';
import { planRun } from '../src/stages/run/plan.js';
import { makeProject } from './fixtures/runner-project.js';
import { runCli } from './helpers/cli.js';

const NO_SERVER = { url: 'http://127.0.0.1:9' } as LocalServer;
const KEYS = { ANTHROPIC_API_KEY: 'sk-unused-key-0000', OPENAI_API_KEY: 'sk-unused-key-0000' };

const edit = (file: string, f: (text: string) => string) => writeFileSync(file, f(readFileSync(file, 'utf8')));
/** A project whose first model talks to a real (non-loopback) Anthropic endpoint, so it needs a key. */
async function projectNeedingKey(): Promise<string> {
  const dir = await makeProject({ server: NO_SERVER });
  edit(path.join(dir, 'config.yaml'), (t) => t.replace(/ +baseURL: http:\/\/127\.0\.0\.1:9\n/, ''));
  return dir;
}

describe('validate checks what run would check, before run writes anything', () => {
  it('the config and the provider registry name the same closed set of providers', () => {
    expect([...PROVIDERS]).toEqual([...PROVIDER_NAMES]);
    expect(closestName('antropic', PROVIDERS)).toBe('anthropic');
    expect(closestName('gemini', PROVIDERS)).toBeUndefined();
  });

  it('a missing API key is a warning in validate and --dry-run, and an error in run before results/ exists', async () => {
    const dir = await projectNeedingKey();
    const v = await runCli(['validate'], { cwd: dir, env: {} });
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(
      /api keys: 1 missing .*\n {2}warning: config\.yaml:\d+:\d+ \(models\[0\]\): model 'claude-local' .*ANTHROPIC_API_KEY/,
    );
    expect(v.stdout).toMatch(/valid, with 1 warning\n$/);

    const dry = await runCli(['run', '--dry-run'], { cwd: dir, env: {} });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toMatch(/warning: config\.yaml:\d+:\d+ \(models\[0\]\): .*has no API key.*a real run stops here/);

    const run = await runCli(['run'], { cwd: dir, env: {} });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot start the run \(1 problem; nothing was written or sent\)/);
    expect(existsSync(path.join(dir, 'results'))).toBe(false);

    const withKey = await runCli(['validate'], { cwd: dir, env: KEYS });
    expect(withKey.stdout).toMatch(/api keys: set for every model and judge/);
    expect(withKey.stdout).toMatch(/valid\n$/);
  });

  it('models and judges on a loopback server need no key (tests, the demo and local servers stay key-free)', async () => {
    const dir = await makeProject({ server: NO_SERVER });
    edit(
      path.join(dir, 'config.yaml'),
      (t) => `${t}judge:\n  judges: [default]\n  model: { provider: openai, model: j, baseURL: "http://127.0.0.1:9/v1" }\n`,
    );
    const v = await runCli(['validate'], { cwd: dir, env: {} });
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/judges: default@\d+ \(.*default\.yaml\) on openai:j/);
    expect(v.stdout).toMatch(/api keys: set for every model and judge/);
  });

  it('one pass lists every problem in every file: config, scenario, judge definition and taxonomy', async () => {
    const dir = await makeProject({ server: NO_SERVER });
    mkdirSync(path.join(dir, 'judges'));
    writeFileSync(path.join(dir, 'judges', 'mine.yaml'), 'extends: default\nname: mine\nversion: zero\n');
    writeFileSync(path.join(dir, 'tree.csv'), 'not,a,tree\n');
    edit(
      path.join(dir, 'config.yaml'),
      (t) => `${t.replace('provider: anthropic', 'provider: antropic')}judge:\n  judges: [mine]\ntaxonomy:\n  path: tree.csv\n`,
    );
    edit(path.join(dir, 'scenarios', 'moral-philosophy', 'moral-kidney-to-a-stranger.yaml'), (t) =>
      t.replace('turns:\n', 'turns:\n  - system: Be blunt.\n'),
    );
    const v = await runCli(['validate'], { cwd: dir, env: KEYS });
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/\n4 problems:\n/);
    expect(v.stderr).toMatch(/config\.yaml:\d+:\d+ \(models\[0\]\.provider\): unknown provider `antropic`/);
    expect(v.stderr).toMatch(/moral-kidney-to-a-stranger\.yaml:5:5 \(turns\[0\]\): a turn cannot be `system`/);
    expect(v.stderr).toMatch(/judges\/mine\.yaml:\d+:\d+ \(version\)/);
    expect(v.stderr).toMatch(/tree\.csv:1: missing column/);
  });

  it('an invalid config adds no spurious "no scenario files found", and its suite is still checked when it can be read', async () => {
    const dir = await makeProject({ server: NO_SERVER });
    // Run from a folder without scenarios/, as when the config lives elsewhere.
    const sub = path.join(dir, 'sub');
    mkdirSync(sub);
    writeFileSync(path.join(sub, 'config.yaml'), 'models: [\n');
    const broken = await runCli(['validate'], { cwd: sub, env: KEYS });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/\n1 problem:\n {2}config\.yaml:\d+:\d+: YAML syntax/);
    expect(broken.stderr).not.toMatch(/no scenario files/);
    expect(broken.stdout).toMatch(/scenarios: not checked/);

    // Valid YAML with a schema problem: its `suite:` (relative to the config) is followed anyway.
    writeFileSync(path.join(sub, 'config.yaml'), 'suite: [../scenarios]\nmodels: []\n');
    edit(path.join(dir, 'scenarios', 'moral-philosophy', 'moral-kidney-to-a-stranger.yaml'), (t) => `${t}mood: grumpy\n`);
    const schema = await runCli(['validate'], { cwd: sub, env: KEYS });
    expect(schema.stderr).toMatch(/\n2 problems:\n/);
    expect(schema.stderr).toMatch(/config\.yaml:\d+:\d+ \(models\): list at least one model/);
    expect(schema.stderr).toMatch(/moral-kidney-to-a-stranger\.yaml:\d+:\d+ \(mood\): unknown field/);
  });
});

describe('--scenarios globs', () => {
  it('match paths relative to the suite folder, ids and loaded file paths', async () => {
    const dir = await makeProject({ server: NO_SERVER, domains: ['workplace', 'moral-philosophy'] });
    const suite = await loadSuite(['scenarios'], { cwd: dir });
    const config = { models: [{ id: 'm', provider: 'openai', model: 'm', maxTokens: 10, concurrency: 1 }], runner: { samples: 1 } };
    const pick = (glob: string) => planRun(config as never, suite.scenarios, { scenarios: glob }).scenarios.map((s) => s.domain);
    const workplace = suite.scenarios.filter((s) => s.domain === 'workplace').length;
    expect(workplace).toBeGreaterThan(0);
    expect(pick('workplace/**')).toEqual(Array(workplace).fill('workplace'));
    expect(pick('workplace/work-*')).toEqual(Array(workplace).fill('workplace'));
    expect(pick('scenarios/workplace/**')).toEqual(Array(workplace).fill('workplace'));
    expect(pick('moral-kidney-*')).toEqual(['moral-philosophy']);
    expect(() => pick('kitchen/**')).toThrow(
      /--scenarios kitchen\/\*\* matches no scenario id or path \(ids look like ".*", paths like ".*\/.*\.yaml"/,
    );
  });

  it('the documented `run --scenarios workplace/**` plans only that folder', async () => {
    const dir = await makeProject({ server: NO_SERVER, domains: ['workplace', 'moral-philosophy'] });
    const r = await runCli(['run', '--dry-run', '--scenarios', 'workplace/**', '--samples', '1'], { cwd: dir, env: KEYS });
    expect(r.code, r.stderr).toBe(0);
    const suite = await loadSuite(['scenarios/workplace'], { cwd: dir });
    expect(r.stdout).toContain(`x ${suite.scenarios.length} scenario(s) x 1 sample(s)`);
  });
});

describe('analysis commands on something that is not a run directory', () => {
  it('say so and what to pass, instead of "judge the run first"', async () => {
    const dir = await makeProject({ server: NO_SERVER });
    const r = await runCli(['profile', 'scenarios'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/scenarios is not a run directory: no manifest\.json here; pass a run directory such as results\/<run-id>/);
    expect(r.stderr).not.toMatch(/judge the run first/);
  });

  it('still read a directory holding judgments without a manifest (judgments copied alone)', async () => {
    const dir = await makeProject({ server: NO_SERVER });
    const run = path.join(dir, 'copied');
    await writeSyntheticRun(run, [{ seed: 1, modelId: 'm', scenarioSeed: 1, domains: 1, scenariosPerDomain: 5, samples: 1, watchRate: 0 }]);
    rmSync(path.join(run, 'manifest.json'));
    const r = await runCli(['profile', 'copied', '--resamples', '100', '--allow-incomplete'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
  });
});
