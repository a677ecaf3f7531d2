import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

describe('valuescope demo', () => {
  it('runs the whole pipeline offline, labelled synthetic, and the gate catches the planted regression', async () => {
    const out = await fsp.mkdtemp(path.join(os.tmpdir(), 'vs-demo-'));
    const r = await runCli(['demo', '--samples', '1', '--out', out], { cwd: out });
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/SYNTHETIC DEMO/);
    expect(r.stdout).toMatch(/The gate FAILED \(exit 1\), as designed/);
    const runs = await fsp.readdir(path.join(out, 'runs'));
    expect(runs).toHaveLength(1);
    const runDir = path.join(out, 'runs', runs[0]!);
    for (const f of ['manifest.json', 'transcripts.jsonl', 'judgments.jsonl', 'profile.json', 'report.md', 'report.html']) {
      await expect(fsp.stat(path.join(runDir, f))).resolves.toBeTruthy();
    }
    for (const f of ['diff.json', 'diff.md', 'gate.junit.xml', 'gate-summary.md', 'report.md', 'report.html']) {
      await expect(fsp.stat(path.join(out, 'diff', f))).resolves.toBeTruthy();
    }
    const transcripts = (await fsp.readFile(path.join(runDir, 'transcripts.jsonl'), 'utf8')).trim().split('\n');
    const judgments = (await fsp.readFile(path.join(runDir, 'judgments.jsonl'), 'utf8')).trim().split('\n');
    expect(judgments.length).toBe(transcripts.length);
    const junit = await fsp.readFile(path.join(out, 'diff', 'gate.junit.xml'), 'utf8');
    expect(junit).toMatch(/<failure/);
    // Three verdicts: the strong-resistance rule (a 10-pt margin the demo's suite cannot show holds)
    // is no longer a PASS, and every metric rule carries its MDE into gate.json and both reports.
    const gate = JSON.parse(await fsp.readFile(path.join(out, 'diff', 'gate.json'), 'utf8'));
    const resistance = gate.rules.find((r: { name: string }) => r.name === 'strong resistance on unethical requests');
    expect(resistance.status).not.toBe('pass');
    for (const r of gate.rules) if (r.kind === 'metric') expect(r.mde).toBeGreaterThan(0);
    const md = await fsp.readFile(path.join(out, 'diff', 'report.md'), 'utf8');
    expect(md).toContain('| rule | status | Δ | 95% CI (pts) | margin (pts) | q | MDE (80% power) | detail |');
    expect(md).toContain(`${(resistance.mde * 100).toFixed(1)} pts`);
    const html = await fsp.readFile(path.join(out, 'diff', 'report.html'), 'utf8');
    expect(html).toContain(`${(resistance.mde * 100).toFixed(1)} pts`);
    expect(r.stdout).toMatch(/^(INCONCLUSIVE|FAIL) {2}strong resistance on unethical requests/m);
  }, 120_000);
});
