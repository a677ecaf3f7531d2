import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.js';
import { RESPONSE_TYPES } from '../src/records/response-types.js';
import { loadJudgeDefinition } from '../src/stages/judge/llm/load-definition.js';
import { judgeOutputJsonSchema, parseJudgeOutput } from '../src/stages/judge/llm/output-schema.js';
import { buildJudgePrompt, fill } from '../src/stages/judge/llm/prompt.js';
import { judgeModelSpec } from '../src/stages/judge/panel.js';
import { judgeConfig, tempDir, transcript } from './judge-helpers.js';

describe('judge definitions', () => {
  it('loads the shipped default and its OpenAI variant (extends)', async () => {
    const { definition: d } = await loadJudgeDefinition('default', tempDir());
    expect(d.model).toMatchObject({ provider: 'anthropic', temperature: 0 });
    expect(Object.keys(d.rubric.response_types)).toEqual([...RESPONSE_TYPES]);
    const { definition: o } = await loadJudgeDefinition('default-openai', tempDir());
    expect(o.model.provider).toBe('openai');
    expect(o.rubric).toEqual(d.rubric);
    expect(o.prompt).toEqual(d.prompt);
  });

  it('reports problems with file, line and field', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'judges'));
    const file = path.join(dir, 'judges', 'mine.yaml');
    writeFileSync(
      file,
      'extends: default\nname: mine\nversion: 1\ndescription: x\nmodel:\n  temperature: 9\nprompt:\n  user: "no placeholder"\n',
    );
    const err = await loadJudgeDefinition('mine', dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems.find((p) => p.path === 'model.temperature')).toMatchObject({ line: 6 });
    expect(problems.find((p) => p.path === 'prompt.user')?.message).toMatch(/\{\{transcript\}\}/);
  });

  it('config judge.model overrides only the fields it names', async () => {
    const { definition } = await loadJudgeDefinition('default', tempDir());
    const spec = judgeModelSpec(definition, judgeConfig({ model: { provider: 'openai', model: 'x', baseURL: 'http://127.0.0.1:1/v1' } }));
    expect(spec).toMatchObject({ id: 'judge-default', provider: 'openai', model: 'x', maxTokens: 2048, temperature: 0 });
  });

  it('never expands placeholders written inside a transcript', async () => {
    const { definition } = await loadJudgeDefinition('default', tempDir());
    const p = buildJudgePrompt(definition, transcript(1, {}, 'see {{rubric}} and {{tag}}'), () => 'abcdef0123456789');
    expect(p.user).toContain('see {{rubric}} and {{tag}}');
    expect(p.system).toContain('## Response type');
    expect(fill('{{a}} {{b}}', { a: '{{b}}' })).toBe('{{b}} {{b}}');
  });
});

describe('judge output schema', () => {
  it('is strict-compatible: every property required, no additional properties', () => {
    const walk = (s: Record<string, unknown>): void => {
      if (s.type === 'object') {
        expect(s.additionalProperties).toBe(false);
        expect(new Set(s.required as string[])).toEqual(new Set(Object.keys(s.properties as object)));
        for (const v of Object.values(s.properties as Record<string, Record<string, unknown>>)) walk(v);
      }
      if (s.type === 'array') walk(s.items as Record<string, unknown>);
    };
    const schema = judgeOutputJsonSchema();
    expect(schema.$schema).toBeUndefined();
    walk(schema);
  });

  it('normalises names, rejects malformed output with a quotable error', () => {
    const ok = parseJudgeOutput(
      '```json\n{"ai_values":[{"name":"Harm  Prevention.","evidence":"e","explicit":true}],"human_values":[],"response_type":"reframing","refusal":"none"}\n```',
    );
    expect(ok).toMatchObject({ ok: true, judgment: { aiValues: [{ name: 'harm prevention' }] } });
    expect(parseJudgeOutput('{"ai_values": [')).toMatchObject({ ok: false, error: expect.stringMatching(/not valid JSON/) });
    const bad = parseJudgeOutput('{"ai_values":[],"human_values":[],"response_type":"agree","refusal":"none","x":1}');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/response_type/);
    const long = parseJudgeOutput(
      '{"ai_values":[{"name":"a b c d e","evidence":"","explicit":false}],"human_values":[],"response_type":"no_values","refusal":"none"}',
    );
    expect(!long.ok && long.error).toMatch(/1-4 words/);
  });
});

describe('self-judging warning', () => {
  it('warns when a judge on an official API judges models of the same provider', async () => {
    const { selfJudgingWarnings } = await import('../src/stages/judge/self-judging.js');
    const judge = { id: 'judge-default', provider: 'anthropic', model: 'claude-x' };
    const tested = [
      { id: 'claude-a', provider: 'anthropic', model: 'a' },
      { id: 'gpt-b', provider: 'openai', model: 'b' },
      { id: 'local', provider: 'anthropic', model: 'c', baseURL: 'http://127.0.0.1:1' },
    ];
    const w = selfJudgingWarnings([judge], tested);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/same provider as claude-a: a judge rating its own family/);
    expect(selfJudgingWarnings([{ ...judge, provider: 'openai' }], tested)[0]).toMatch(/gpt-b/);
    expect(selfJudgingWarnings([{ ...judge, baseURL: 'http://127.0.0.1:2' }], tested)).toEqual([]);
  });
});

describe('judge output schema keywords', () => {
  it('uses no string-length or pattern keywords that strict structured output may reject', () => {
    const text = JSON.stringify(judgeOutputJsonSchema());
    expect(text).not.toMatch(/"(minLength|maxLength|pattern|format|minItems|maxItems)"/);
    expect(
      parseJudgeOutput(
        '{"ai_values":[{"name":"  ","evidence":"","explicit":false}],"human_values":[],"response_type":"no_values","refusal":"none"}',
      ).ok,
    ).toBe(false);
  });
});
