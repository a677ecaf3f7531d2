import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { REPO_ROOT } from './fixtures/runner-project.js';
import { runCli } from './helpers/cli.js';

type Price = { input: number; output: number; cachedInput?: number; cacheWrite?: number };

const num = (s: string): number => Number(s.replace(/,/g, ''));
/** Printed dollars are rounded to the cent. */
const CENT = 0.0051;

describe('run --dry-run on the shipped config', () => {
  it('prints the models and the judge cost separately, each from its printed tokens at the config prices, then their total', async () => {
    const r = await runCli(['run', '--dry-run'], { cwd: REPO_ROOT });
    expect(r.code, r.stderr).toBe(0);
    const config = parse(await readFile(path.join(REPO_ROOT, 'config.yaml'), 'utf8')) as {
      models: { id: string; model: string }[];
      prices: Record<string, Price>;
    };
    const cells = Number(/= (\d+) cells/.exec(r.stdout)?.[1]);
    expect(cells).toBeGreaterThan(1000);

    let models = 0;
    for (const m of config.models) {
      const row = new RegExp(
        `^${m.id.replace('.', '\\.')}\\s+(\\d+)\\s+([\\d,]+)\\s+([\\d,]+) / [\\d,]+\\s+\\$([\\d.]+) / \\$[\\d.]+$`,
        'm',
      ).exec(r.stdout);
      expect(row, m.id).not.toBeNull();
      const [, , input, output, cost] = row!;
      const price = config.prices[m.model]!;
      expect(Math.abs(num(cost!) - (num(input!) * price.input + num(output!) * price.output) / 1e6)).toBeLessThan(CENT);
      models += num(cost!);
    }

    // The shipped judge: `default` on claude-sonnet-5-5, one sample, 8 calls at once (judges/default.yaml).
    const judge =
      /^default@1\s+anthropic:claude-sonnet-5-5\s+([\d,]+)\s+([\d,]+)\s+([\d,]+) \/ [\d,]+\s+\$([\d.]+) \/ \$[\d.]+\s+\$([\d.]+) \/ \$[\d.]+$/m.exec(
        r.stdout,
      );
    expect(judge).not.toBeNull();
    const [, calls, input, output, plain, cached] = judge!.map((x) => num(x ?? '0'));
    expect(calls).toBe(cells);
    const p = config.prices['claude-sonnet-5-5']!;
    expect(Math.abs(plain! - (input! * p.input + output! * p.output) / 1e6)).toBeLessThan(CENT);
    // With the prompt cache the static prefix is written by each of the 8 first calls and read by every later one.
    const prefix = num(/\(([\d,]+) tokens for default@1/.exec(r.stdout)![1]!);
    expect(prefix).toBeGreaterThan(1024);
    const reads = (calls! - 8) * prefix;
    const writes = 8 * prefix;
    const expected = plain! - (reads * (p.input - p.cachedInput!)) / 1e6 + (writes * (p.cacheWrite! - p.input)) / 1e6;
    expect(Math.abs(cached! - expected)).toBeLessThan(2 * CENT);
    expect(cached!).toBeLessThan(plain!);

    const total = /models \$([\d.]+) \/ \$[\d.]+, judge \$([\d.]+) \/ \$[\d.]+ \(prompt-cached\), total \$([\d.]+) \/ \$[\d.]+\./.exec(
      r.stdout,
    );
    expect(total).not.toBeNull();
    const [, m, j, t] = total!.map((x) => num(x ?? '0'));
    expect(Math.abs(m! - models)).toBeLessThan(3 * CENT);
    expect(j).toBe(cached);
    expect(Math.abs(t! - (m! + j!))).toBeLessThan(CENT);
    // The batch APIs take half off every price (no `batch` multiplier in the shipped prices: the default 0.5).
    const batch = /With --batch .*: models \$([\d.]+) \/ \$[\d.]+, judge \$([\d.]+) \/ \$[\d.]+, total \$([\d.]+) \/ \$[\d.]+\./.exec(
      r.stdout,
    );
    expect(batch).not.toBeNull();
    const [, bm, bj, bt] = batch!.map((x) => num(x ?? '0'));
    expect(Math.abs(bm! - m! / 2)).toBeLessThan(3 * CENT);
    expect(Math.abs(bj! - j! / 2)).toBeLessThan(CENT);
    expect(Math.abs(bt! - (bm! + bj!))).toBeLessThan(CENT);
    expect(r.stdout).not.toContain('No price for');
    expect(r.stdout).toContain('Dry run: nothing was sent and nothing was written.');
  });

  it('names a judge model without a price, and prices the lexical judge at $0', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vs-cost-dry-'));
    await cp(path.join(REPO_ROOT, 'scenarios', 'moral-philosophy'), path.join(dir, 'scenarios', 'moral-philosophy'), { recursive: true });
    const base = {
      suite: ['scenarios'],
      runner: { samples: 1 },
      models: [{ id: 'm', provider: 'openai', model: 'priced', baseURL: 'http://127.0.0.1:9/v1', maxTokens: 100 }],
      prices: { priced: { input: 1, output: 2 } },
    };
    await writeFile(
      path.join(dir, 'config.yaml'),
      stringify({
        ...base,
        judge: { judges: ['default'], model: { provider: 'openai', model: 'unpriced-judge', baseURL: 'http://127.0.0.1:9/v1' } },
      }),
    );
    const r = await runCli(['run', '--dry-run'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^default@1\s+openai:unpriced-judge\s+11\s.*no price\s+no price$/m);
    expect(r.stdout).toContain('No price for: unpriced-judge (add them under `prices:`');

    await writeFile(path.join(dir, 'config.yaml'), stringify({ ...base, judge: { judges: ['lexical'] } }));
    const lexical = await runCli(['run', '--dry-run'], { cwd: dir });
    expect(lexical.stdout).toMatch(/^lexical\s+builtin:lexical\s+0\s+0\s+0 \/ 0\s+\$0\.00 \/ \$0\.00\s+\$0\.00 \/ \$0\.00$/m);
    expect(lexical.stdout).toContain('The lexical judge calls no model: $0.');
    expect(lexical.stdout).toMatch(/judge \$0\.00 \/ \$0\.00 \(prompt-cached\)/);
    expect(lexical.stdout).not.toContain('No price for');
  });
});
