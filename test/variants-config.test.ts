import { promises as fsp, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Scheduler } from '../src/calls/scheduler.js';
import { parseConfigText } from '../src/config/load-config.js';
import { combineSystem, headersHashOf, type ModelTarget } from '../src/config/model-target.js';
import { systemClock } from '../src/core/clock.js';
import { ConfigError, UsageError } from '../src/core/errors.js';
import type { Manifest } from '../src/records/manifest.js';
import type { Scenario } from '../src/scenarios/schema.js';
import { modelRuntimes } from '../src/stages/run/model-runtimes.js';
import { planRun } from '../src/stages/run/plan.js';
import { checkResumable, manifestModelOf } from '../src/stages/run/resume-check.js';
import { sha256 } from '../src/util/hash.js';
import { runCli } from './helpers/cli.js';

/** A config directory with a system prompt file next to config.yaml. */
function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vs-variants-'));
  return dir;
}

const ENTRY = `models:
  - id: assistant
    provider: anthropic
    model: claude-x
    maxTokens: 300
    temperature: 1
    system: You are the old assistant.
    headers:
      X-Team: core
      x-trace: on
    variants:
      old-prompt: {}
      new-prompt:
        systemFile: prompts/new.txt
        temperature: 0.2
        headers:
          x-team: research
      cheap:
        model: claude-small
        maxTokens: 100
        systemCombine: replace
  - id: plain
    provider: openai
    model: gpt-x
`;

function parsedIn(dir: string, text: string) {
  return parseConfigText('config.yaml', text, {}, dir);
}

function scenario(id: string, system?: string): Scenario {
  return {
    id,
    domain: 'd',
    title: id,
    ...(system !== undefined ? { system } : {}),
    messages: [{ role: 'user', content: `question ${id}` }],
    userValues: [],
    tags: [],
    file: `scenarios/d/${id}.yaml`,
    hash: sha256(id),
  };
}

describe('model entries with a system prompt and variants', () => {
  it('expand into one target per variant with overrides, merged headers and the system prompt file read', async () => {
    const dir = project();
    await fsp.mkdir(path.join(dir, 'prompts'));
    await fsp.writeFile(path.join(dir, 'prompts', 'new.txt'), '\uFEFFYou are the new assistant.\nBe brief.\n\n');
    const { config, problems } = parsedIn(dir, ENTRY);
    expect(problems).toEqual([]);
    const targets = config!.models;
    expect(targets.map((t) => t.id)).toEqual(['assistant@old-prompt', 'assistant@new-prompt', 'assistant@cheap', 'plain']);
    const [old, neu, cheap, plain] = targets as [ModelTarget, ModelTarget, ModelTarget, ModelTarget];
    expect(old).toMatchObject({ entry: 'assistant', variant: 'old-prompt', model: 'claude-x', temperature: 1, maxTokens: 300 });
    expect(old.system).toBe('You are the old assistant.');
    expect(old.headers).toEqual({ 'X-Team': 'core', 'x-trace': 'on' });
    // The file's BOM and trailing newlines are not part of the prompt; the variant's file replaces the entry's system.
    expect(neu.system).toBe('You are the new assistant.\nBe brief.');
    expect(neu.temperature).toBe(0.2);
    // Header names are case-insensitive: the variant's x-team replaces the entry's X-Team.
    expect(neu.headers).toEqual({ 'x-trace': 'on', 'x-team': 'research' });
    expect(cheap).toMatchObject({ model: 'claude-small', maxTokens: 100, systemCombine: 'replace', system: 'You are the old assistant.' });
    // An entry without variants or system is its own target, exactly as before (no extra keys).
    expect(plain).toEqual({ id: 'plain', provider: 'openai', model: 'gpt-x', maxTokens: 1024, concurrency: 8 });
    expect(headersHashOf(old.headers)).not.toBe(headersHashOf(neu.headers));
    expect(headersHashOf({ 'X-A': '1' })).toBe(headersHashOf({ 'x-a': '1' }));
    expect(headersHashOf({})).toBeUndefined();
  });

  it('combines the target system prompt with a scenario system prompt: prepend, replace, and none', () => {
    const base = { id: 'm', provider: 'openai', model: 'x', maxTokens: 10, concurrency: 1 };
    expect(combineSystem({ ...base, system: 'T' }, 'S')).toBe('T\n\nS');
    expect(combineSystem({ ...base, system: 'T', systemCombine: 'prepend' }, undefined)).toBe('T');
    expect(combineSystem({ ...base, system: 'T', systemCombine: 'replace' }, 'S')).toBe('T');
    expect(combineSystem(base, 'S')).toBe('S');
    expect(combineSystem(base, undefined)).toBeUndefined();
    const runner = { samples: 1 } as never;
    const plan = planRun({ models: [{ ...base, system: 'T' }], runner }, [scenario('a', 'S'), scenario('b')]);
    expect(plan.cells.map((c) => c.request.system)).toEqual(['T\n\nS', 'T']);
    const replaced = planRun({ models: [{ ...base, system: 'T', systemCombine: 'replace' }], runner }, [scenario('a', 'S')]);
    expect(replaced.cells[0]!.request.system).toBe('T');
  });

  it('refuse: a scenario with its own system prompt is a located error naming the scenario file, the target and the fix', () => {
    const runner = { samples: 1 } as never;
    const m: ModelTarget = {
      id: 'assistant@strict',
      entry: 'assistant',
      variant: 'strict',
      provider: 'openai',
      model: 'x',
      maxTokens: 10,
      concurrency: 1,
      system: 'T',
      systemCombine: 'refuse',
    };
    let err: unknown;
    try {
      planRun({ models: [m], runner }, [scenario('a', 'S'), scenario('b')]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'scenarios/d/a.yaml', path: 'system' });
    expect(problems[0]!.message).toMatch(
      // A target built by hand has no config file to say whether its entry or its variant sets it.
      /target 'assistant@strict' has systemCombine: refuse \(config models\[assistant\] or models\[assistant\]\.variants\.strict\)/,
    );
    expect(problems[0]!.message).toMatch(/prepend.*replace.*--scenarios/);
    // Without the conflicting scenario the plan goes ahead.
    expect(planRun({ models: [m], runner }, [scenario('b')]).cells).toHaveLength(1);
  });

  it('--models takes an entry id (all its variants) or a target id; unknown names list both forms', () => {
    const { config } = parsedIn(project(), ENTRY.replace('systemFile: prompts/new.txt', 'system: new'));
    expect(planRun(config!, [scenario('a')], { models: ['assistant'] }).models.map((m) => m.id)).toEqual([
      'assistant@old-prompt',
      'assistant@new-prompt',
      'assistant@cheap',
    ]);
    expect(planRun(config!, [scenario('a')], { models: ['assistant@cheap', 'plain'] }).models.map((m) => m.id)).toEqual([
      'assistant@cheap',
      'plain',
    ]);
    expect(() => planRun(config!, [scenario('a')], { models: ['assistant@nope'] })).toThrow(UsageError);
    expect(() => planRun(config!, [scenario('a')], { models: ['assistant@old-promt'] })).toThrow(/did you mean `assistant@old-prompt`\?/);
    expect(() => planRun(config!, [scenario('a')], { models: ['assistant@nope'] })).toThrow(
      /assistant@nope.*config has: assistant@old-prompt, assistant@new-prompt, assistant@cheap, plain; entries with variants \(all their variants\): assistant/,
    );
  });
});

describe('rate limits of an entry with variants', () => {
  it('variants sending the same wire model share the entry lane (concurrency, rpm, tpm); a variant with its own model gets its own', () => {
    const { config } = parsedIn(project(), ENTRY.replace('systemFile: prompts/new.txt', 'system: new'));
    const runtimes = modelRuntimes(config!.models, {
      config: config!,
      scheduler: new Scheduler({ clock: systemClock }),
      ctx: { env: { ANTHROPIC_API_KEY: 'k', OPENAI_API_KEY: 'k' }, fetch: globalThis.fetch, cwd: '/' },
      configFile: 'config.yaml',
    });
    const lane = (id: string) => runtimes.get(id)!.lane;
    expect(lane('assistant@old-prompt')).toBe(lane('assistant@new-prompt'));
    expect(lane('assistant@cheap')).not.toBe(lane('assistant@old-prompt'));
    expect(lane('plain')).not.toBe(lane('assistant@old-prompt'));
  });
});

describe('resume checks over the new manifest fields', () => {
  const plain: ModelTarget = { id: 'm', provider: 'openai', model: 'x', maxTokens: 10, concurrency: 1 };
  const manifest = (models: Manifest['models']): Manifest =>
    ({ v: 1, runId: 'r1', configHash: 'old', suiteHash: 's', scenarios: {}, samples: 1, models }) as unknown as Manifest;
  const current = (models: ModelTarget[]) => ({ configHash: 'new', configFile: '/p/config.yaml', models, suiteHash: 's', scenarios: [] });

  it('an old manifest without the new fields resumes when nothing changed (absent counts as unset)', () => {
    const old = { id: 'm', provider: 'openai', model: 'x', maxTokens: 10, concurrency: 1 };
    expect(checkResumable(manifest([old]), current([plain])).specs).toEqual([plain]);
    expect(manifestModelOf(plain)).toEqual({ ...old, headerNames: [] });
  });

  it('a run started before headers were recorded resumes with its headers unchecked (a note says so)', () => {
    const withHeaders = { ...plain, headers: { 'X-K': 'v1' } };
    const old = { id: 'm', provider: 'openai', model: 'x', maxTokens: 10, concurrency: 1 };
    const r = checkResumable(manifest([old]), current([withHeaders]));
    expect(r.specs).toEqual([withHeaders]);
    expect(r.notes).toContainEqual(expect.stringMatching(/^m: the run started before valuescope recorded HTTP headers/));
    // A run recorded without headers (headerNames: []) that now has some is refused.
    expect(() => checkResumable(manifest([manifestModelOf(plain)]), current([withHeaders]))).toThrow(ConfigError);
  });

  it('a changed system prompt, combine mode or header is refused, saying what changed, never the values', () => {
    const was = { ...plain, system: 'A', headers: { 'X-K': 'v1' } };
    const m = manifest([manifestModelOf(was)]);
    const messages = (now: ModelTarget): string[] => {
      try {
        checkResumable(m, current([now]));
        return [];
      } catch (e) {
        return (e as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
      }
    };
    expect(messages(was)).toEqual([]);
    expect(messages({ ...was, system: 'B' })).toEqual([
      expect.stringMatching(/^models\[m\]\.systemHash: the system prompt was sha256 [0-9a-f]{12} when/),
    ]);
    expect(messages({ ...was, systemCombine: 'replace' })).toEqual([
      expect.stringMatching(/^models\[m\]\.systemCombine: was "prepend" .* is now "replace"/),
    ]);
    const headers = messages({ ...was, headers: { 'x-k': 'v2' } });
    expect(headers).toEqual([expect.stringMatching(/^models\[m\]\.headersHash: the extra HTTP headers were sha256/)]);
    expect(headers.join()).not.toContain('v2');
    // Only the case of a header name changed: same headers, same hash, resumes.
    expect(messages({ ...was, headers: { 'x-k': 'v1' } })).toEqual([]);
  });
});

describe('bad variant and system prompt input: located problems, nothing resolved', () => {
  const bad = (text: string, dir = project()) => {
    const { config, problems } = parsedIn(dir, text);
    expect(config).toBeUndefined();
    return problems;
  };

  it('an unknown key in a variant points at the key with a did-you-mean', () => {
    const problems = bad(
      ENTRY.replace('        temperature: 0.2', '        systm: hi').replace('systemFile: prompts/new.txt', 'system: x'),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'config.yaml', line: 15, column: 9, path: 'models[0].variants.new-prompt.systm' });
    expect(problems[0]!.message).toMatch(/unknown field `systm` \(did you mean `system`\?\)/);
  });

  it('an unknown key elsewhere in the config also gets a did-you-mean', () => {
    const problems = bad('models:\n  - id: a\n    provider: openai\n    model: x\n    temprature: 1\nrunner:\n  sampels: 2\n');
    expect(problems.map((p) => [p.line, p.message]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [5, expect.stringMatching(/unknown field `temprature` \(did you mean `temperature`\?\)/)],
      [7, expect.stringMatching(/unknown field `sampels` \(did you mean `samples`\?\)/)],
    ]);
  });

  it('a bad variant name, an empty variants map and an id with @ say what is allowed', () => {
    const base = 'models:\n  - id: a\n    provider: openai\n    model: x\n';
    const name = bad(`${base}    variants:\n      "new prompt": {}\n`);
    expect(name[0]).toMatchObject({ line: 6, path: 'models[0].variants.new prompt' });
    expect(name[0]!.message).toMatch(/variant name `new prompt`: use letters, digits, dot, underscore or hyphen/);
    const range = bad(`${base}    variants:\n      hot:\n        temperature: 5\n`);
    expect(range[0]).toMatchObject({ line: 7, path: 'models[0].variants.hot.temperature' });
    const empty = bad(`${base}    variants: {}\n`);
    expect(empty[0]).toMatchObject({ line: 5, path: 'models[0].variants' });
    expect(empty[0]!.message).toMatch(/at least one variant/);
    const at = bad(base.replace('id: a', 'id: a@b'));
    expect(at[0]).toMatchObject({ line: 2, path: 'models[0].id' });
    expect(at[0]!.message).toMatch(/'@' is reserved: it joins an entry id and a variant name/);
  });

  it('system and systemFile together, an empty system and a missing or empty systemFile are located at the field', async () => {
    const base = 'models:\n  - id: a\n    provider: openai\n    model: x\n';
    const both = bad(`${base}    system: hi\n    systemFile: p.txt\n`);
    expect(both[0]).toMatchObject({ line: 6, path: 'models[0].systemFile' });
    expect(both[0]!.message).toMatch(/either `system`.*or `systemFile`.*not both/);
    const blank = bad(`${base}    system: "  "\n`);
    expect(blank[0]).toMatchObject({ line: 5, path: 'models[0].system' });
    const dir = project();
    const missing = bad(`${base}    variants:\n      v:\n        systemFile: prompts/missing.txt\n`, dir);
    expect(missing[0]).toMatchObject({ file: 'config.yaml', line: 7, path: 'models[0].variants.v.systemFile' });
    expect(missing[0]!.message).toContain(path.join(dir, 'prompts', 'missing.txt'));
    expect(missing[0]!.message).toMatch(/does not exist: the path is relative to the config file/);
    await fsp.writeFile(path.join(dir, 'empty.txt'), '\n\n');
    const empty = bad(`${base}    systemFile: empty.txt\n`, dir);
    expect(empty[0]!.message).toMatch(/is empty/);
  });

  it('a judge model refuses system and variants, saying why', () => {
    const problems = bad('models:\n  - id: a\n    provider: openai\n    model: x\njudge:\n  model:\n    system: be fair\n');
    expect(problems[0]).toMatchObject({ line: 7, path: 'judge.model.system' });
    expect(problems[0]!.message).toMatch(/judge models take no system prompt or variants/);
  });

  it('run writes nothing when the config is invalid, and names file, line and field', async () => {
    const dir = project();
    await fsp.writeFile(
      path.join(dir, 'config.yaml'),
      'models:\n  - id: a\n    provider: openai\n    model: x\n    variants:\n      v:\n        systemFile: nope.txt\n',
    );
    const r = await runCli(['run', '--no-judge'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config\.yaml:7:21 \(models\[0\]\.variants\.v\.systemFile\): system prompt file nope\.txt/);
    expect(await fsp.readdir(dir)).toEqual(['config.yaml']);
  });

  it('validate lists the targets with their system prompt, and refuse conflicts with the suite as problems', async () => {
    const dir = project();
    await fsp.mkdir(path.join(dir, 'scenarios', 'd'), { recursive: true });
    await fsp.writeFile(
      path.join(dir, 'scenarios', 'd', 'own-system.yaml'),
      'id: own-system\ndomain: d\ntitle: Own system\nsystem: You are a shop bot.\nturns:\n  - user: Hello there, can you help me?\n',
    );
    const config = `models:\n  - id: m\n    provider: openai\n    model: x\n    system: You are careful.\n    variants:\n      a: {}\n      b:\n        system: You are bold.\n        systemCombine: refuse\n`;
    await fsp.writeFile(path.join(dir, 'config.yaml'), config);
    const r = await runCli(['validate'], { cwd: dir });
    expect(r.stdout).toMatch(/m@a {2}x {2}system "You are careful\." \(sha256 [0-9a-f]{12}, prepend\)/);
    expect(r.stdout).toMatch(/m@b {2}x {2}system "You are bold\." \(sha256 [0-9a-f]{12}, refuse\)/);
    // The missing key of both targets points at their entry (models[0], line 2), not at a target index.
    expect(r.stdout.match(/warning: config\.yaml:2:\d+ \(models\[0\]\): /g)).toHaveLength(2);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /own-system\.yaml \(system\): scenario 'own-system' sets its own system prompt, and target 'm@b' has systemCombine: refuse/,
    );
    const dry = await runCli(['run', '--dry-run', '--models', 'm@a'], { cwd: dir });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/Targets \(id, wire model, system prompt\):\n {2}m@a {2}x {2}system "You are careful\."/);
    const refused = await runCli(['run', '--dry-run'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/sets its own system prompt, and target 'm@b' has systemCombine: refuse/);
  });
});
