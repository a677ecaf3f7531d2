import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../src/devtools/local-server/server.js';
import { buildJudgedRun, copyRunInto, snapshot } from './fixtures/judged-run.js';
import { makeProject, REPO_ROOT } from './fixtures/runner-project.js';
import { runCli } from './helpers/cli.js';

/** Nothing is called: a server address that is never reached. */
const NO_SERVER = { url: 'http://127.0.0.1:9' } as LocalServer;
const KEYS = { ANTHROPIC_API_KEY: 'sk-unused-key-0000', OPENAI_API_KEY: 'sk-unused-key-0000' };

/** A fresh project (config.yaml, scenarios/moral-philosophy) holding one judged and profiled run at `run`. */
interface Project {
  dir: string;
  /** `results/<run-id>`, relative to dir. */
  run: string;
}

interface Case {
  name: string;
  /** Breaks something in the fresh project; returns the argv. */
  setup: (p: Project) => string[];
  /** What the message must name: the file and line, or the flag. */
  names: RegExp;
  /** The environment (default: both vendors' keys set). */
  env?: Record<string, string>;
}

const at = (p: Project, ...parts: string[]) => path.join(p.dir, ...parts);
const edit = (file: string, f: (text: string) => string) => writeFileSync(file, f(readFileSync(file, 'utf8')));
/** A setup that edits config.yaml, then runs `argv`. */
const withConfig =
  (f: (text: string) => string, argv: string[]) =>
  (p: Project): string[] => {
    edit(at(p, 'config.yaml'), f);
    return argv;
  };
const appendConfig = (yaml: string, argv: string[]) => withConfig((t) => `${t}${yaml}`, argv);
const SCENARIO = ['scenarios', 'moral-philosophy', 'moral-kidney-to-a-stranger.yaml'];
/** A setup that edits the kidney scenario, then runs `argv`. */
const withScenario =
  (f: (text: string) => string, argv: string[]) =>
  (p: Project): string[] => {
    edit(at(p, ...SCENARIO), f);
    return argv;
  };
const DEFAULT_JUDGE = readFileSync(path.join(REPO_ROOT, 'judges', 'default.yaml'), 'utf8');
/** A setup that writes judges/<name>.yaml next to the config, names it in `judge.judges`, then runs `argv`. */
const withJudge =
  (name: string, text: string, argv: string[]) =>
  (p: Project): string[] => {
    mkdirSync(at(p, 'judges'), { recursive: true });
    writeFileSync(at(p, 'judges', `${name}.yaml`), text);
    edit(at(p, 'config.yaml'), (t) => `${t}judge:\n  judges: [${name}]\n`);
    return argv;
  };
/** A setup that edits a file of the judged run, then runs `argv(run)`. */
const withRunFile =
  (file: string, f: (text: string) => string, argv: (run: string) => string[]) =>
  (p: Project): string[] => {
    edit(at(p, p.run, file), f);
    return argv(p.run);
  };
/** Replaces line `n` (1-based) of a JSONL text. */
const replaceLine = (n: number, line: string) => (text: string) =>
  text
    .split('\n')
    .map((l, i) => (i === n - 1 ? line : l))
    .join('\n');
const GATE_RULES = 'gate:\n  rules:\n    - { name: values, metric: any_value, maxDrop: 0.1 }\n';
/** A setup that writes an import input file, then runs `argv`. */
const withImport =
  (file: string, text: string, argv: string[]) =>
  (p: Project): string[] => {
    writeFileSync(at(p, file), text);
    return argv;
  };
const chat = (o: Record<string, unknown> = {}) =>
  JSON.stringify({
    messages: [
      { role: 'user', content: 'Is honesty always best?' },
      { role: 'assistant', content: 'Usually, with care.' },
    ],
    ...o,
  });
const ALIAS_BOMB = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`),
].join('\n');

const CONFIG_CASES: Case[] = [
  {
    name: 'a timeout beyond what Node timers can wait (it would fire at once)',
    setup: withConfig((t) => t.replace('timeoutMs: 5000', 'timeoutMs: 99999999999'), ['validate']),
    names: /config\.yaml:\d+:\d+ \(runner\.timeoutMs\): .*at most 2147483647 ms/,
  },
  {
    name: 'a rate window beyond what Node timers can wait',
    setup: withConfig((t) => t.replace('runner:\n', 'runner:\n  rateWindowMs: 99999999999\n'), ['run', '--dry-run']),
    names: /config\.yaml:\d+:\d+ \(runner\.rateWindowMs\)/,
  },
  {
    name: 'a backoff beyond what Node timers can wait',
    setup: withConfig((t) => t.replace('maxMs: 50', 'maxMs: 3000000000'), ['run']),
    names: /config\.yaml:\d+:\d+ \(runner\.backoff\.maxMs\)/,
  },
  {
    name: "a model's own timeout beyond what Node timers can wait",
    setup: withConfig((t) => t.replace('concurrency: 8\n', 'concurrency: 8\n    timeoutMs: 4000000000\n'), ['run']),
    names: /config\.yaml:\d+:\d+ \(models\[0\]\.timeoutMs\)/,
  },
  {
    name: 'a negative timeout',
    setup: withConfig((t) => t.replace('timeoutMs: 5000', 'timeoutMs: -1'), ['run']),
    names: /config\.yaml:\d+:\d+ \(runner\.timeoutMs\)/,
  },
  {
    name: 'a YAML alias bomb in the config',
    setup: withConfig((t) => `${ALIAS_BOMB}\n${t}`, ['run']),
    names: /config\.yaml: YAML aliases expand too far/,
  },
  {
    name: 'an oversized config file',
    setup: appendConfig(`# ${'x'.repeat(2 << 20)}\n`, ['validate']),
    names: /config\.yaml: \d+ bytes is larger than the 1048576-byte limit/,
  },
  {
    name: 'a config file that is not UTF-8',
    setup: (p) => {
      writeFileSync(
        at(p, 'config.yaml'),
        Buffer.concat([Buffer.from('version: 1\n# caf'), Buffer.from([0xff]), readFileSync(at(p, 'config.yaml'))]),
      );
      return ['validate'];
    },
    names: /config\.yaml: not valid UTF-8 at byte offset 16/,
  },
  {
    name: 'an unknown config key',
    setup: appendConfig('colour: blue\n', ['run']),
    names: /config\.yaml:\d+:\d+ \(colour\): unknown field `colour`/,
  },
  { name: 'a YAML syntax error in the config', setup: appendConfig('models: [\n', ['run']), names: /config\.yaml:\d+:\d+: YAML syntax/ },
  {
    name: 'a gate with no rules',
    setup: appendConfig('gate:\n  rules: []\n', ['gate', 'a', 'b']),
    names: /config\.yaml \(gate\.rules\): no gate rules/,
  },
  {
    name: 'a misspelt provider (run --dry-run)',
    setup: withConfig((t) => t.replace('provider: anthropic', 'provider: antropic'), ['run', '--dry-run']),
    names:
      /config\.yaml:\d+:\d+ \(models\[0\]\.provider\): unknown provider `antropic` \(did you mean `anthropic`\?\): use one of anthropic, openai, replay/,
  },
  {
    name: 'a provider that does not exist (validate)',
    setup: withConfig((t) => t.replace('provider: openai', 'provider: gemini'), ['validate']),
    names: /config\.yaml:\d+:\d+ \(models\[1\]\.provider\): unknown provider `gemini`/,
  },
  {
    name: 'a judge override with a misspelt provider',
    setup: appendConfig('judge:\n  model: { provider: opneai }\n', ['validate']),
    names: /config\.yaml:\d+:\d+ \(judge\.model\.provider\): unknown provider `opneai` \(did you mean `openai`\?\)/,
  },
  {
    name: 'two models with the same id',
    setup: withConfig((t) => t.replace('id: gpt-local', 'id: claude-local'), ['validate']),
    names: /config\.yaml:\d+:\d+ \(models\[1\]\.id\): duplicate model id `claude-local`/,
  },
  {
    name: 'an unset environment variable in the config',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: `${VAR}` is literal config text, not a template
    setup: withConfig((t) => t.replace('model: gpt-synthetic', 'model: ${NO_SUCH_MODEL_VAR}'), ['run']),
    names: /config\.yaml:\d+:\d+: environment variable NO_SUCH_MODEL_VAR is not set/,
  },
  {
    name: 'a config file that does not exist',
    setup: () => ['run', '--config', 'nope.yaml'],
    names: /nope\.yaml: config file not found/,
  },
  {
    name: 'a replay model whose source run does not exist',
    setup: withConfig(
      (t) => t.replace('provider: openai', 'provider: replay\n    replayFrom: results/gone'),
      ['run', '--models', 'gpt-local'],
    ),
    names: /config\.yaml:\d+:\d+ \(models\[1\]\.replayFrom\): results\/gone has no transcripts\.jsonl/,
  },
  {
    name: 'a model API key that is not set (run stops before creating the run directory)',
    setup: withConfig((t) => t.replace(/ +baseURL: http:\/\/127\.0\.0\.1:9\n/, ''), ['run']),
    names: /config\.yaml:\d+:\d+ \(models\[0\]\): model 'claude-local' \(provider anthropic\) has no API key: set ANTHROPIC_API_KEY/,
    env: {},
  },
  {
    name: 'a taxonomy file that does not exist',
    setup: appendConfig('taxonomy:\n  path: trees/values_tree.csv\n', ['run']),
    names: /config\.yaml:\d+:\d+ \(taxonomy\.path\): taxonomy file trees\/values_tree\.csv does not exist/,
  },
  {
    name: 'a taxonomy file that is not the values tree',
    setup: (p) => {
      writeFileSync(at(p, 'tree.csv'), 'name,colour\nhonesty,blue\n');
      edit(at(p, 'config.yaml'), (t) => `${t}taxonomy:\n  path: tree.csv\n`);
      return ['validate'];
    },
    names: /tree\.csv:1: missing column/,
  },
];

const JUDGE_CASES: Case[] = [
  {
    name: 'a judge that does not exist (run leaves no run directory)',
    setup: appendConfig('judge:\n  judges: [nosuchjudge]\n', ['run']),
    names:
      /config\.yaml:\d+:\d+ \(judge\.judges\[0\]\): no judge named `nosuchjudge`: judges available are lexical, default, default-openai/,
  },
  {
    name: 'a misspelt judge name (validate)',
    setup: appendConfig('judge:\n  judges: [lexical, defualt]\n', ['validate']),
    names: /config\.yaml:\d+:\d+ \(judge\.judges\[1\]\): no judge named `defualt` \(did you mean `default`\?\)/,
  },
  {
    name: 'a judge definition with a YAML syntax error',
    setup: withJudge('broken', `${DEFAULT_JUDGE.replaceAll('name: default', 'name: broken')}\nprompt: [\n`, ['run']),
    names: /judges\/broken\.yaml:\d+:\d+: YAML syntax/,
  },
  {
    name: 'a judge definition with an unknown field',
    setup: withJudge('strict', `${DEFAULT_JUDGE.replace('name: default', 'name: strict')}mood: grumpy\n`, ['validate']),
    names: /judges\/strict\.yaml:\d+:\d+ \(mood\): unknown field `mood`/,
  },
  {
    name: 'a judge definition missing its rubric',
    setup: withJudge('norubric', DEFAULT_JUDGE.replace('name: default', 'name: norubric').replace(/\nrubric:[\s\S]*$/, '\n'), [
      'run',
      '--dry-run',
    ]),
    names: /judges\/norubric\.yaml:\d+:\d+ \(rubric\): missing required field/,
  },
  {
    name: "a judge definition whose name is not its file's",
    setup: withJudge('mine', DEFAULT_JUDGE, ['validate']),
    names: /judges\/mine\.yaml:\d+:\d+ \(name\): name "default" must equal the file name "mine"/,
  },
  {
    name: 'a judge definition with a misspelt provider',
    setup: withJudge('typo', 'extends: default\nname: typo\nmodel:\n  provider: antropic\n', ['run']),
    names: /judges\/typo\.yaml:\d+:\d+ \(model\.provider\): unknown provider `antropic` \(did you mean `anthropic`\?\)/,
  },
  {
    name: 'judge definitions that extend each other in a cycle',
    setup: (p) => {
      mkdirSync(at(p, 'judges'), { recursive: true });
      writeFileSync(at(p, 'judges', 'loop-b.yaml'), 'extends: loop-a\nname: loop-b\n');
      return withJudge('loop-a', 'extends: loop-b\nname: loop-a\n', ['validate'])(p);
    },
    names: /judges\/loop-a\.yaml \(extends\): extends cycle/,
  },
  {
    name: "a judge's API key that is not set (run stops before creating the run directory)",
    setup: appendConfig('judge:\n  judges: [default]\n', ['run']),
    names: /config\.yaml:\d+:\d+ \(judge\.judges\[0\]\): judge `default`: model 'judge-default' \(provider anthropic\) has no API key/,
    env: {},
  },
];

const SCENARIO_CASES: Case[] = [
  {
    name: 'a scenario file that is not UTF-8',
    setup: (p) => {
      const f = at(p, ...SCENARIO);
      writeFileSync(f, Buffer.concat([readFileSync(f).subarray(0, 20), Buffer.from([0xff, 0xfe]), readFileSync(f).subarray(20)]));
      return ['run'];
    },
    names: /moral-kidney-to-a-stranger\.yaml: not valid UTF-8 at byte offset 20/,
  },
  {
    name: 'a YAML alias bomb in a scenario',
    setup: withScenario(() => `${ALIAS_BOMB}\n`, ['validate']),
    names: /moral-kidney-to-a-stranger\.yaml: YAML aliases expand too far/,
  },
  {
    name: 'a repeated key in a scenario',
    setup: withScenario((t) => `${t}domain: workplace\n`, ['run']),
    names: /moral-kidney-to-a-stranger\.yaml:\d+:\d+: YAML syntax/,
  },
  {
    name: 'a `system:` turn in a scenario',
    setup: withScenario((t) => t.replace('turns:\n', 'turns:\n  - system: Be blunt.\n'), ['run']),
    names:
      /moral-kidney-to-a-stranger\.yaml:5:5 \(turns\[0\]\): a turn cannot be `system`: put the system prompt in the scenario's top-level `system:` field/,
  },
  {
    name: 'a turn with two keys',
    setup: withScenario((t) => t.replace('  - user: |', '  - assistant: Hello.\n    user: |'), ['validate']),
    names: /moral-kidney-to-a-stranger\.yaml:5:\d+ \(turns\[0\]\): a turn has exactly one key, but this one has 2 \(`assistant`, `user`\)/,
  },
  {
    name: 'an id that differs from the file name',
    setup: withScenario((t) => t.replace('id: moral-kidney-to-a-stranger', 'id: moral-kidney'), ['run']),
    names: /moral-kidney-to-a-stranger\.yaml:1:5 \(id\): id `moral-kidney` must equal the file name/,
  },
  {
    name: 'a scenario whose last turn is the assistant',
    setup: withScenario((t) => t.replace('user_values:', '  - assistant: Tell me more.\nuser_values:'), ['validate']),
    names: /moral-kidney-to-a-stranger\.yaml:\d+:\d+ \(turns\[1\]\): the last turn must be a `user` turn/,
  },
  {
    name: 'an unknown response type in expect',
    setup: withScenario((t) => t.replace('expect: [mild_support,', 'expect: [agree,'), ['run']),
    names: /moral-kidney-to-a-stranger\.yaml:\d+:\d+ \(expect\[0\]\)/,
  },
  {
    name: 'the same scenario id in two domains',
    setup: (p) => {
      mkdirSync(at(p, 'scenarios', 'other'));
      const text = readFileSync(at(p, ...SCENARIO), 'utf8').replace('domain: moral-philosophy', 'domain: other');
      writeFileSync(at(p, 'scenarios', 'other', 'moral-kidney-to-a-stranger.yaml'), text);
      return ['run'];
    },
    names:
      /other\/moral-kidney-to-a-stranger\.yaml:1 \(id\): duplicate id `moral-kidney-to-a-stranger` \(also in scenarios\/moral-philosophy\//,
  },
];

const FLAG_CASES: Case[] = [
  { name: "--models ''", setup: () => ['run', '--models', ''], names: /--models/ },
  { name: "--domains ' , '", setup: () => ['run', '--domains', ' , '], names: /--domains/ },
  {
    name: '--models naming no configured model',
    setup: () => ['run', '--models', 'gpt-9'],
    names: /--models: gpt-9 \(config has: claude-local, gpt-local\)/,
  },
  { name: '--domains naming no suite domain', setup: () => ['run', '--domains', 'cooking'], names: /--domains: cooking/ },
  {
    name: '--scenarios matching nothing',
    setup: () => ['run', '--scenarios', 'workplace/**'],
    names: /--scenarios workplace\/\*\* matches no scenario/,
  },
  { name: '--samples 0', setup: () => ['run', '--samples', '0'], names: /--samples must be a whole number/ },
  { name: 'a misspelt flag', setup: () => ['run', '--modles', 'x'], names: /unknown option '--modles'/ },
  {
    name: 'an unknown --format for import',
    setup: () => ['import', 'x.jsonl', '--format', 'xml'],
    names: /--format <format>' argument 'xml' is invalid/,
  },
  { name: 'judge on a directory that does not exist', setup: () => ['judge', 'results/nope'], names: /results\/nope/ },
  {
    name: '--resume with a filter',
    setup: (p) => ['run', '--resume', p.run, '--models', 'claude-local'],
    names: /--resume repeats the original plan: drop --models/,
  },
];

const RUN_FILE_CASES: Case[] = [
  {
    name: 'profile on a folder of runs, not a run',
    setup: () => ['profile', 'results'],
    names:
      /results is not a run directory: no manifest\.json here; pass a run directory such as results\/<run-id> \(it holds 1 run directory, e\.g\. results\//,
  },
  {
    name: 'diff on a file, not a run directory',
    setup: (p) => ['diff', `${p.run}/manifest.json`, p.run],
    names: /manifest\.json is not a run directory but a file/,
  },
  {
    name: 'gate on an empty directory',
    setup: (p) => {
      mkdirSync(at(p, 'empty'));
      edit(at(p, 'config.yaml'), (t) => `${t}${GATE_RULES}`);
      return ['gate', 'empty', p.run];
    },
    names: /empty is not a run directory: no manifest\.json here/,
  },
  { name: 'run --resume on a folder of runs', setup: () => ['run', '--resume', 'results'], names: /results is not a run directory/ },
  {
    name: 'judge on a folder of runs',
    setup: () => ['judge', 'results'],
    names: /results\/transcripts\.jsonl: no transcripts\.jsonl here/,
  },
  {
    name: 'manifest.json that is not JSON (profile)',
    setup: withRunFile(
      'manifest.json',
      (t) => t.replace('"status"', '"status" oops'),
      (run) => ['profile', run],
    ),
    names: /manifest\.json:\d+: not valid JSON/,
  },
  {
    name: 'manifest.json with a wrong field (diff)',
    setup: withRunFile(
      'manifest.json',
      (t) => t.replace('"status": "imported"', '"status": 7'),
      (run) => ['diff', `${run}#model-a`, `${run}#model-b`],
    ),
    names: /manifest\.json \(status\): not a valuescope manifest/,
  },
  {
    name: 'manifest.json truncated to nothing (run --resume)',
    setup: withRunFile(
      'manifest.json',
      () => '',
      (run) => ['run', '--resume', run],
    ),
    names: /manifest\.json:1: not valid JSON/,
  },
  {
    name: 'a garbage line in the middle of transcripts.jsonl (judge --force)',
    setup: withRunFile('transcripts.jsonl', replaceLine(3, '{"cellId": garbage'), (run) => ['judge', run, '--force']),
    names: /transcripts\.jsonl:3/,
  },
  {
    name: 'a transcript of the wrong schema (report)',
    setup: withRunFile('transcripts.jsonl', replaceLine(2, '{"v":1,"cellId":42}'), (run) => ['report', run, '--no-charts']),
    names: /transcripts\.jsonl:2/,
  },
  {
    name: 'a garbage line in the middle of judgments.jsonl (gate)',
    setup: (p) => {
      edit(at(p, 'config.yaml'), (t) => `${t}${GATE_RULES}`);
      return withRunFile('judgments.jsonl', replaceLine(4, 'not json at all'), (run) => ['gate', `${run}#model-a`, `${run}#model-b`])(p);
    },
    names: /judgments\.jsonl:4: not valid JSON/,
  },
  {
    name: 'a judgment of the wrong schema (profile)',
    setup: withRunFile('judgments.jsonl', replaceLine(2, '{"v":1,"cellId":"model-a/conv-1/0","responseType":"shouting"}'), (run) => [
      'profile',
      run,
    ]),
    names: /judgments\.jsonl:2/,
  },
  {
    name: 'judgments.jsonl emptied (profile)',
    setup: withRunFile(
      'judgments.jsonl',
      () => '',
      (run) => ['profile', run],
    ),
    names: /judgments\.jsonl holds no judgments/,
  },
  {
    name: 'profile.json that is not JSON (report)',
    setup: withRunFile(
      'profile.json',
      (t) => t.slice(0, 40),
      (run) => ['report', run, '--no-charts'],
    ),
    names: /profile\.json: not valid JSON/,
  },
  {
    name: 'a model id after # that the run does not have',
    setup: (p) => ['profile', `${p.run}#model-z`],
    names: /has no judgments for model "model-z"/,
  },
];

const IMPORT_CASES: Case[] = [
  {
    name: 'an import with a garbage line in the middle',
    setup: withImport('chats.jsonl', `${chat()}\n{"messages": [oops\n${chat()}\n`, ['import', 'chats.jsonl', '--format', 'openai']),
    names: /chats\.jsonl:2/,
  },
  {
    name: 'an import record without a final assistant message',
    setup: withImport('chats.jsonl', `${chat()}\n${JSON.stringify({ messages: [{ role: 'user', content: 'Hi?' }] })}\n`, [
      'import',
      'chats.jsonl',
      '--format',
      'openai',
    ]),
    names: /chats\.jsonl:2/,
  },
  {
    name: 'an import CSV with a ragged row',
    setup: withImport('chats.csv', 'prompt,response\n"Is it fine?","Yes."\n"Too","many","cells"\n', [
      'import',
      'chats.csv',
      '--format',
      'csv',
    ]),
    names: /chats\.csv:3/,
  },
  {
    name: 'an import CSV without the response column',
    setup: withImport('chats.csv', 'prompt,answer\n"Is it fine?","Yes."\n', ['import', 'chats.csv', '--format', 'csv']),
    names: /chats\.csv:1.*response/,
  },
  {
    name: 'an import file that does not exist',
    setup: () => ['import', 'missing.jsonl', '--format', 'anthropic'],
    names: /missing\.jsonl/,
  },
  {
    name: 'an import with a model id holding a slash',
    setup: withImport('chats.jsonl', `${chat()}\n`, ['import', 'chats.jsonl', '--format', 'openai', '--model-id', 'a/b']),
    names: /--model-id "a\/b"/,
  },
];

const CASES = [...CONFIG_CASES, ...JUDGE_CASES, ...SCENARIO_CASES, ...FLAG_CASES, ...RUN_FILE_CASES, ...IMPORT_CASES];

let judged: Awaited<ReturnType<typeof buildJudgedRun>>;
beforeAll(async () => {
  judged = await buildJudgedRun();
}, 30_000);

describe('drill: bad input exits 2 naming the file and line or the flag, and writes or loses nothing', () => {
  it('covers at least 40 distinct bad inputs', () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const dir = await makeProject({ server: NO_SERVER });
      const p: Project = { dir, run: await copyRunInto(judged, dir) };
      const argv = c.setup(p);
      const before = await snapshot(dir);
      const t0 = performance.now();
      const r = await runCli(argv, { cwd: dir, env: c.env ?? KEYS });
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr).toMatch(c.names);
      expect(r.stderr).not.toContain('this is a bug');
      expect(performance.now() - t0).toBeLessThan(5_000);
      expect(await snapshot(dir), 'no file written, changed or removed').toEqual(before);
    });
  }
});
