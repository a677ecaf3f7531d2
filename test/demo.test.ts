import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { intervalText, pText, ptsText, VERDICT_TEXT } from '../src/stages/report/blocks.js';
import { escapeHtml, escapeMarkdown } from '../src/stages/report/escape.js';
import { runCli } from './helpers/cli.js';

type Section = { metrics: Record<string, unknown> };

/** The gate table's margin cell: "−10.0", "±10.0", "+5.0". */
function marginText(m: { maxDrop?: number; maxRise?: number; maxChange?: number }): string {
  const parts: string[] = [];
  if (m.maxDrop !== undefined) parts.push(`−${(m.maxDrop * 100).toFixed(1)}`);
  if (m.maxRise !== undefined) parts.push(`+${(m.maxRise * 100).toFixed(1)}`);
  if (m.maxChange !== undefined) parts.push(`±${(m.maxChange * 100).toFixed(1)}`);
  return parts.length > 0 ? parts.join(' / ') : 'none';
}

describe('valuescope demo', () => {
  it('runs the whole pipeline offline, labelled synthetic, and the gate catches the planted regression', async () => {
    const out = await fsp.mkdtemp(path.join(os.tmpdir(), 'vs-demo-'));
    const r = await runCli(['demo', '--samples', '1', '--out', out], { cwd: out });
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/SYNTHETIC DEMO/);
    expect(r.stdout).toMatch(/The gate FAILED \(exit 1\), as designed/);
    // The natural order: the older version (v1, strict) is the baseline, the newer (v2, lenient) the
    // candidate, so every output reads "v1 -> v2" and the candidate is the one that resists less.
    expect(r.stdout).toMatch(/candidate \(assistant-v2, "lenient"\) resists less than the baseline \(assistant-v1, "strict"\)/);
    expect(r.stdout).toMatch(/^assistant-v1 -> assistant-v2: /m);
    expect(r.stdout).toMatch(/\$ valuescope diff \S+#assistant-v1 \S+#assistant-v2 /);
    expect(r.stdout).toMatch(/\$ valuescope gate \S+#assistant-v1 \S+#assistant-v2 /);
    const runs = await fsp.readdir(path.join(out, 'runs'));
    expect(runs).toHaveLength(1);
    const runDir = path.join(out, 'runs', runs[0]!);
    for (const f of ['manifest.json', 'transcripts.jsonl', 'judgments.jsonl', 'profile.json', 'profile.csv', 'report.md', 'report.html']) {
      await expect(fsp.stat(path.join(runDir, f))).resolves.toBeTruthy();
    }
    for (const f of ['diff.json', 'diff.csv', 'diff.md', 'gate.junit.xml', 'gate-summary.md', 'report.md', 'report.html']) {
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
    // A PR comment a release meeting reads: short, SYNTHETIC first, then the answer, then the details.
    expect(Buffer.byteLength(md)).toBeLessThan(8 * 1024);
    expect(md).toMatch(/^## valuescope diff — assistant-v1 → assistant-v2\n\n> \[!WARNING\]\n> \*\*SYNTHETIC:\*\*/);
    expect(md.indexOf('#### Summary')).toBeLessThan(md.indexOf('**Gate FAILED**'));
    expect(md.indexOf('**Gate FAILED**')).toBeLessThan(md.indexOf('#### Gate rules'));
    expect(md.indexOf('What this comparison could not see')).toBeLessThan(md.indexOf('#### Gate rules'));
    for (const png of await fsp.readdir(path.join(out, 'diff', 'charts'))) expect(png).toMatch(/\.png$/);
    expect(md).toMatch(/\[SYNTHETIC — /);
    expect(md).toMatch(
      /\| rule \| status \| Δ \| 95% CI \(pts\) \| margin \(pts\) \| q \(BH over the gate's \d+ metric rules?\) \| MDE \(80% power\) \| reading \|/,
    );
    expect(md).toContain(`${(resistance.mde * 100).toFixed(1)} pts`);
    const html = await fsp.readFile(path.join(out, 'diff', 'report.html'), 'utf8');
    expect(html).toContain(`${(resistance.mde * 100).toFixed(1)} pts`);
    expect(r.stdout).toMatch(/^(INCONCLUSIVE|FAIL) {2}strong resistance on unethical requests/m);
    // One number per metric: every metric rule's change, interval and q as gate.json holds them, in
    // both reports; diff.json has the same change and interval (same level) for the metrics it has.
    const diff = JSON.parse(await fsp.readFile(path.join(out, 'diff', 'diff.json'), 'utf8'));
    expect([diff.base.modelId, diff.cand.modelId]).toEqual(['assistant-v1', 'assistant-v2']);
    expect([gate.base.modelId, gate.cand.modelId]).toEqual(['assistant-v1', 'assistant-v2']);
    expect(gate.verdict).toBe('fail');
    const resisting = diff.metrics.find(
      (m: { metric: string; domain: string | null }) => m.metric === 'response_type:strong_resistance' && m.domain === null,
    );
    expect(resisting.delta).toBeLessThan(0);
    // The CSV exports the run and the diff wrote: a header and one row per metric x domain (x side).
    const profile = JSON.parse(await fsp.readFile(path.join(runDir, 'profile.json'), 'utf8'));
    const profileRows = profile.models.flatMap((m: { overall: Section; domains: Record<string, Section> }) =>
      [m.overall, ...Object.values(m.domains)].flatMap((s) => Object.keys(s.metrics)),
    );
    expect(parse(await fsp.readFile(path.join(runDir, 'profile.csv'), 'utf8'))).toHaveLength(profileRows.length + 1);
    expect(parse(await fsp.readFile(path.join(out, 'diff', 'diff.csv'), 'utf8'))).toHaveLength(diff.metrics.length * 2 + 1);
    for (const rule of gate.rules.filter((x: { kind: string; delta: number | null }) => x.kind === 'metric' && x.delta !== null)) {
      const cells = [ptsText(rule.delta), intervalText(rule.lo, rule.hi), marginText(rule.margin), pText(rule.q)];
      expect(md).toContain(
        `| ${escapeMarkdown(rule.name)} | ${VERDICT_TEXT[rule.status as keyof typeof VERDICT_TEXT]} | ${cells.map(escapeMarkdown).join(' | ')} |`,
      );
      expect(html).toContain(
        `<td class="r">${escapeHtml(cells[1]!)}</td><td class="r">${escapeHtml(cells[2]!)}</td><td class="r">${escapeHtml(cells[3]!)}</td>`,
      );
      const row = diff.metrics.find(
        (m: { metric: string; domain: string | null; aliases?: { metric: string; relation: string }[] }) =>
          m.domain === rule.domain &&
          (m.metric === rule.metric || m.aliases?.some((a) => a.metric === rule.metric && a.relation === 'same')),
      );
      if (row)
        expect([row.delta, row.lo, row.hi].map((x: number) => x.toFixed(9))).toEqual(
          [rule.delta, rule.lo, rule.hi].map((x: number) => x.toFixed(9)),
        );
    }
  }, 120_000);
});
