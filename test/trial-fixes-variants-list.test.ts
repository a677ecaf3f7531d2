import { promises as fsp, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { parseConfigText } from '../src/config/load-config.js';
import { runCli } from './helpers/cli.js';

/** `variants:` written as a YAML list (a new-user trial): the problem says it is a map, with an example, at its line. */
const LISTED = [
  'models:',
  '  - id: assistant',
  '    provider: openai',
  '    model: x',
  '    variants:',
  '      - name: old-prompt',
  '        system: You are careful.',
  '',
].join('\n');

it('a list under variants: is a located problem showing the map it must be', async () => {
  const { config, problems } = parseConfigText('config.yaml', LISTED, {}, tmpdir());
  expect(config).toBeUndefined();
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatchObject({ file: 'config.yaml', line: 6, path: 'models[0].variants' });
  const message = problems[0]!.message;
  expect(message).not.toMatch(/expected record, received array/);
  expect(message).toMatch(/^`variants` is a map of NAME: \{overrides\}, not a list/);
  // The two example lines are valid variants when pasted under `variants:`.
  const example = message.split('\n').slice(1);
  expect(example).toHaveLength(2);
  const dir = mkdtempSync(path.join(tmpdir(), 'vs-trial-variants-'));
  try {
    await fsp.mkdir(path.join(dir, 'prompts'));
    await fsp.writeFile(path.join(dir, 'prompts', 'old.txt'), 'You are careful.');
    const fixed = `${LISTED.split('\n').slice(0, 5).join('\n')}\n${example.join('\n')}\n`;
    const parsed = parseConfigText(path.join(dir, 'config.yaml'), fixed, {}, dir);
    expect(parsed.problems).toEqual([]);
    expect(parsed.config!.models.map((m) => m.id)).toEqual(['assistant@old-prompt', 'assistant@new-prompt']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('run prints it located, example included', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vs-trial-variants-'));
  try {
    await fsp.writeFile(path.join(dir, 'config.yaml'), LISTED);
    const r = await runCli(['run', '--dry-run'], { cwd: dir, env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config\.yaml:6:\d+ \(models\[0\]\.variants\): `variants` is a map of NAME: \{overrides\}, not a list/);
    expect(r.stderr).toContain('\n      old-prompt: { systemFile: prompts/old.txt }\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
