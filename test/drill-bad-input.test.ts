import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LocalServer } from '../src/devtools/local-server/server.js';
import { makeProject } from './fixtures/runner-project.js';
import { runCli } from './helpers/cli.js';

/** Nothing is called: a server address that is never reached. */
const NO_SERVER = { url: 'http://127.0.0.1:9' } as LocalServer;

interface Case {
  name: string;
  /** Edits the fresh project; returns the argv. */
  setup: (dir: string) => string[];
  /** What the message must name: the file and line, or the flag. */
  names: RegExp;
}

const cfg = (dir: string) => path.join(dir, 'config.yaml');
const editConfig = (dir: string, f: (text: string) => string) => writeFileSync(cfg(dir), f(readFileSync(cfg(dir), 'utf8')));
/** A setup that edits config.yaml, then runs `argv`. */
const withConfig = (edit: (text: string) => string, argv: string[]) => (dir: string) => {
  editConfig(dir, edit);
  return argv;
};
const scenarioFile = (dir: string) => path.join(dir, 'scenarios', 'moral-philosophy', 'moral-kidney-to-a-stranger.yaml');

const CASES: Case[] = [
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
    name: 'a YAML alias bomb in the config',
    setup: (d) => {
      const bomb = [
        'a: &a [x, x, x, x, x, x, x, x, x]',
        ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`),
      ];
      editConfig(d, (t) => `${bomb.join('\n')}\n${t}`);
      return ['run'];
    },
    names: /config\.yaml: YAML aliases expand too far/,
  },
  {
    name: 'an oversized config file',
    setup: withConfig((t) => `${t}# ${'x'.repeat(2 << 20)}\n`, ['validate']),
    names: /config\.yaml: \d+ bytes is larger than the 1048576-byte limit/,
  },
  {
    name: 'a scenario file that is not UTF-8',
    setup: (d) => {
      const f = scenarioFile(d);
      writeFileSync(f, Buffer.concat([readFileSync(f).subarray(0, 20), Buffer.from([0xff, 0xfe]), readFileSync(f).subarray(20)]));
      return ['run'];
    },
    names: /moral-kidney-to-a-stranger\.yaml: not valid UTF-8 at byte offset 20/,
  },
  {
    name: 'a YAML alias bomb in a scenario',
    setup: (d) => {
      const bomb = [
        'a: &a [x, x, x, x, x, x, x, x, x]',
        ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`),
      ];
      writeFileSync(scenarioFile(d), `${bomb.join('\n')}\n`);
      return ['validate'];
    },
    names: /moral-kidney-to-a-stranger\.yaml: YAML aliases expand too far/,
  },
  { name: "--models ''", setup: () => ['run', '--models', ''], names: /--models/ },
  { name: "--domains ' , '", setup: () => ['run', '--domains', ' , '], names: /--domains/ },
  {
    name: 'a gate with no rules',
    setup: withConfig((t) => `${t}gate:\n  rules: []\n`, ['gate', 'a', 'b']),
    names: /config\.yaml \(gate\.rules\): no gate rules/,
  },
  {
    name: 'an unknown config key',
    setup: withConfig((t) => `${t}colour: blue\n`, ['run']),
    names: /config\.yaml:\d+:\d+/,
  },
  {
    name: 'a YAML syntax error in the config',
    setup: withConfig((t) => `${t}models: [\n`, ['run']),
    names: /config\.yaml:\d+:\d+: YAML syntax/,
  },
  {
    name: 'a repeated key in a scenario',
    setup: (d) => {
      writeFileSync(scenarioFile(d), `${readFileSync(scenarioFile(d), 'utf8')}domain: workplace\n`);
      return ['run'];
    },
    names: /moral-kidney-to-a-stranger\.yaml:\d+:\d+/,
  },
  {
    name: 'judge on a directory that does not exist',
    setup: () => ['judge', 'results/nope'],
    names: /results\/nope/,
  },
  {
    name: 'a negative timeout',
    setup: withConfig((t) => t.replace('timeoutMs: 5000', 'timeoutMs: -1'), ['run']),
    names: /config\.yaml:\d+:\d+ \(runner\.timeoutMs\)/,
  },
];

describe('drill: bad input exits 2 naming the file and line or the flag, and writes nothing', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const dir = await makeProject({ server: NO_SERVER });
      const argv = c.setup(dir);
      const t0 = performance.now();
      const r = await runCli(argv, { cwd: dir, env: { ANTHROPIC_API_KEY: 'sk-unused-key-0000', OPENAI_API_KEY: 'sk-unused-key-0000' } });
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr).toMatch(c.names);
      expect(r.stderr).not.toContain('this is a bug');
      expect(performance.now() - t0).toBeLessThan(5_000);
      expect(existsSync(path.join(dir, 'results')), 'nothing written under results/').toBe(false);
    });
  }
});
