import { promises as fsp, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/config/load-config.js';
import { headersHashOf } from '../src/config/model-target.js';
import { writeSyntheticRun } from '../src/devtools/simulate/write-synthetic-run.js';
import { DiffFileSchema } from '../src/records/diff.js';
import { reuseAnswersFrom } from '../src/stages/run/reuse-answers.js';
import { runCli } from './helpers/cli.js';

/**
 * Variants where they could mislead: targets whose file names collide, `${` in a prompt, a combine
 * mode without a prompt, credential headers, one target's settings changed between two runs, and
 * --reuse-from a run that predates header recording.
 */
let dir: string;
const parse = (text: string) => parseConfigText('config.yaml', text, {}, dir);
const cli = (argv: string[]) => runCli(argv, { cwd: dir, env: {}, now: () => new Date('2026-01-02T00:00:00Z') });

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vs-variants-safety-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('config', () => {
  it('refuses targets that differ only in case or punctuation (their charts and profiles would share files)', () => {
    const { config, problems } = parse(
      [
        'models:',
        '  - id: assistant',
        '    provider: openai',
        '    model: x',
        '    variants: { old: {}, new: {} }',
        '  - { id: assistant-new, provider: openai, model: x }',
        '',
      ].join('\n'),
    );
    expect(config).toBeUndefined();
    expect(problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      expect.stringMatching(/^6: target `assistant-new` and target `assistant@new` differ only in case, punctuation/),
    ]);
  });

  it('refuses targets whose chart names would be cut to the same first 60 characters', () => {
    const long = 'acme-support-assistant-finetune-2026-01-15-checkpoint-final';
    const { config, problems } = parse(
      `models:\n  - id: ${long}\n    provider: openai\n    model: x\n    variants: { old: {}, new: {} }\n`,
    );
    expect(config).toBeUndefined();
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(new RegExp(`target \`${long}@new\` and target \`${long}@old\``)),
    ]);
  });

  it('keeps $$ before a brace as a literal $ in a system prompt, and substitutes variables as everywhere', () => {
    // Config text, not templates: the dollar-brace sequences below are what a user writes in config.yaml.
    const DOLLAR = '$';
    const { config, problems } = parseConfigText(
      'config.yaml',
      `models:\n  - { id: a, provider: openai, model: x, system: "Greet ${DOLLAR}${DOLLAR}{name} from ${DOLLAR}{TEAM}." }\n`,
      { TEAM: 'core' },
      dir,
    );
    expect(problems).toEqual([]);
    expect(config!.models[0]!.system).toBe(`Greet ${DOLLAR}{name} from core.`);
  });

  it('refuses systemCombine on a target without a system prompt, at the variant', () => {
    const { config, problems } = parse(
      [
        'models:',
        '  - id: a',
        '    provider: openai',
        '    model: x',
        '    variants:',
        '      with: { system: You are A. }',
        '      without: { systemCombine: replace }',
        '',
      ].join('\n'),
    );
    expect(config).toBeUndefined();
    expect(problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      expect.stringMatching(/^7: target `a@without` sets systemCombine: replace but has no system prompt/),
    ]);
  });

  it('a variant without a prompt does not inherit the entry systemCombine (a no-prompt control beside replacing variants)', () => {
    const { config, problems } = parse(
      [
        'models:',
        '  - id: a',
        '    provider: openai',
        '    model: x',
        '    systemCombine: replace',
        '    variants:',
        '      no-prompt: {}',
        '      new-prompt: { system: You are A. }',
        '',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(config!.models.map((t) => [t.id, t.system ?? null, t.systemCombine ?? null])).toEqual([
      ['a@no-prompt', null, null],
      ['a@new-prompt', 'You are A.', 'replace'],
    ]);
  });

  it('hashes a credential header by its name only: rotating the secret keeps the hash; other headers count by value', () => {
    expect(headersHashOf({ 'Helicone-Auth': 'Bearer old' })).toBe(headersHashOf({ 'helicone-auth': 'Bearer new' }));
    expect(headersHashOf({ 'X-Api-Key': 'a' })).toBe(headersHashOf({ 'x-api-key': 'b' }));
    expect(headersHashOf({ 'X-Team': 'a' })).not.toBe(headersHashOf({ 'X-Team': 'b' }));
  });
});

describe('runs', () => {
  const common = { scenarioSeed: 2, domains: 2, scenariosPerDomain: 8, samples: 3, watchRate: 0 };

  async function setManifestModel(run: string, fields: Record<string, unknown>): Promise<void> {
    const file = path.join(dir, run, 'manifest.json');
    const m = JSON.parse(await fsp.readFile(file, 'utf8'));
    Object.assign(m.models[0], fields);
    await fsp.writeFile(file, JSON.stringify(m));
  }

  it('diff of one target across runs warns when its system prompt changed; two targets are compared on purpose', async () => {
    await writeSyntheticRun(path.join(dir, 'r1'), [{ ...common, seed: 1, modelId: 'm' }]);
    await writeSyntheticRun(path.join(dir, 'r2'), [{ ...common, seed: 2, modelId: 'm' }]);
    await setManifestModel('r1', { systemHash: 'a'.repeat(64), systemCombine: 'prepend' });
    await setManifestModel('r2', { systemHash: 'b'.repeat(64), systemCombine: 'prepend', temperature: 0.2 });
    const r = await cli(['diff', 'r1', 'r2', '--out', 'd', '--no-report']);
    expect(r.code, r.stderr).toBe(0);
    const diff = DiffFileSchema.parse(JSON.parse(await fsp.readFile(path.join(dir, 'd', 'diff.json'), 'utf8')));
    expect(diff.comparability.warnings).toContainEqual(
      'm: its answer settings differ between the sides (temperature unset -> 0.2; system prompt sha256 aaaaaaaaaaaa -> sha256 bbbbbbbbbbbb): differences may come from these settings, not from the model',
    );
    await writeSyntheticRun(path.join(dir, 'r3'), [{ ...common, seed: 3, modelId: 'other' }]);
    const d2 = await cli(['diff', 'r1', 'r3', '--out', 'd2', '--no-report']);
    expect(d2.code, d2.stderr).toBe(0);
    expect(await fsp.readFile(path.join(dir, 'd2', 'diff.json'), 'utf8')).not.toContain('answer settings differ');
  });

  it('--reuse-from a run written before headers were recorded says which targets cannot match', async () => {
    await writeSyntheticRun(path.join(dir, 'old'), [{ ...common, seed: 4, modelId: 'm' }]);
    await fsp.writeFile(path.join(dir, 'old', 'transcripts.jsonl'), '');
    const base = { provider: 'openai', model: 'm', maxTokens: 1024, concurrency: 1 };
    const models = [{ ...base, id: 'm', headers: { 'X-Team': 'core' } }];
    const r = await reuseAnswersFrom(path.join(dir, 'old'), 'old', { models, cells: [] });
    expect(r.notes).toEqual([expect.stringMatching(/^m: run .* was written before valuescope recorded HTTP headers/)]);
    await setManifestModel('old', { headerNames: ['x-team'] });
    expect((await reuseAnswersFrom(path.join(dir, 'old'), 'old', { models, cells: [] })).notes).toEqual([]);
  });
});
