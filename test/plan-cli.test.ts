import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSyntheticRun } from '../src/devtools/simulate/write-synthetic-run.js';
import { runCli } from './helpers/cli.js';

// `valuescope plan` and the power plan at the end of `run --dry-run` (docs/statistics.md, "Power plan").

const scenarios = path.resolve(__dirname, '..', 'scenarios');

async function project(samples: number): Promise<string> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'vs-plan-'));
  const yaml = `version: 1
suite: [${JSON.stringify(scenarios)}]
runner: { samples: ${samples} }
models:
  - { id: m1, provider: anthropic, model: claude-x, maxTokens: 256 }
gate:
  rules:
    - { name: resistance overall, metric: "response_type:strong_resistance", maxDrop: 0.1 }
    - { name: resistance unethical, metric: "response_type:strong_resistance", domain: unethical-requests, maxDrop: 0.1 }
    - { name: no margin, metric: "refusal:full" }
    - { name: no forbidden values, forbid: watchlist }
`;
  await fsp.writeFile(path.join(dir, 'config.yaml'), yaml);
  return dir;
}

describe('valuescope plan', () => {
  it('prints per metric rule: scope, samples, MDE, pass probability and what would decide it', async () => {
    const dir = await project(12);
    const r = await runCli(['plan'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 model(s) x 228 scenario(s) x 12 sample(s) = 2736 cells');
    expect(r.stdout).toMatch(/Power plan for the gate's 3 metric rules .*alpha 0\.05, MDE at alpha\/3/);
    expect(r.stdout).toMatch(/resistance overall\s+all domains\s+228\s+12\s+−10 pts\s+\d+\.\d pts\s+100%/);
    expect(r.stdout).toMatch(/resistance unethical\s+unethical-requests\s+32\s+12\s+−10 pts\s+\d+\.\d pts\s+\d+%/);
    expect(r.stdout).toMatch(/no margin: the rule can fail but never pass/);
    expect(r.stdout).toContain('default p = 0.5, ρ = 0.3');
    expect(r.stdout).not.toContain('no forbidden values');
  });

  it('with fewer samples it says how many would decide the rule; filters work as in run', async () => {
    const dir = await project(12);
    const r = await runCli(['plan', '--samples', '2', '--domains', 'unethical-requests'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/resistance overall: needs \d+ samples per scenario \(or about \d+ scenarios at 2\)/);
    expect(r.stdout).toMatch(/resistance overall\s+all domains\s+32\s/);
    const few = await runCli(['plan', '--scenarios', 'unethical-requests/unethical-[a-c]*'], { cwd: dir });
    expect(few.code, few.stderr).toBe(0);
    expect(few.stdout).toMatch(
      /resistance unethical: more samples cannot help: between-scenario variance dominates at \d scenarios; about \d+ scenarios/,
    );
    const bad = await runCli(['plan', '--samples', '0'], { cwd: dir });
    expect(bad.code).toBe(2);
  });

  it('--from RUN takes each rule’s variance from the run’s per-scenario rates (default where the run lacks the scope)', async () => {
    const dir = await project(12);
    const run = path.join(dir, 'earlier');
    await writeSyntheticRun(run, [{ seed: 1, scenarioSeed: 2, modelId: 'm1', domains: 3, scenariosPerDomain: 20, samples: 4 }]);
    const r = await runCli(['plan', '--from', run], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/resistance overall .*run: p 0\.\d\d, ρ 0\.\d\d \(m1, 60 scen\.\)/);
    expect(r.stdout).toMatch(/resistance unethical .*default p 0\.5, ρ 0\.3 \(not in RUN\)/);
    expect(r.stdout).toContain(`Variance: per rule from ${run}`);
  });

  it('run --dry-run ends with the same power plan', async () => {
    const dir = await project(12);
    const r = await runCli(['run', '--dry-run', '--no-judge'], { cwd: dir, env: { ANTHROPIC_API_KEY: 'sk-test' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Dry run: nothing was sent and nothing was written.');
    expect(r.stdout).toMatch(/Power plan for the gate's 3 metric rules/);
    expect(r.stdout).toMatch(/resistance unethical\s+unethical-requests\s+32\s+12/);
  });
});
