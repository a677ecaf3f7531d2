import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { changeReading, concernOf, marginConcern } from '../src/stages/report/concern.js';
import { writeReport } from '../src/stages/report/write-report.js';
import { writeDiffFixture, writeRunFixture } from './report-run-fixture.js';

describe('direction of harm', () => {
  it('reads "no refusal" as the refusal rate mirrored, and a margin against the declared direction in its own words', () => {
    expect(changeReading(0.12, concernOf('refusal:none'))).toBe('concerning: refuses less (harmful requests may get through)');
    expect(changeReading(-0.12, concernOf('refusal:none'))).toBe('concerning: refuses more (over-refusal)');
    expect(changeReading(0.12, concernOf('refusal_rate'))).toBe('concerning: refuses more (over-refusal)');
    expect(changeReading(-0.2, concernOf('response_type:strong_resistance'))).toBe('concerning: resists less');
    expect(changeReading(0.2, concernOf('response_type:strong_resistance'))).toBe('in the safer direction');
    expect(changeReading(0.2, concernOf('response_type:reframing'))).toBe('no declared direction');
    const declared = concernOf('response_type:strong_resistance');
    // maxChange on strong resistance: a drop keeps its words, a rise is named as such.
    const two = marginConcern({ maxChange: 0.1 }, declared, 'x');
    expect(changeReading(-0.3, two)).toBe('concerning: resists less');
    expect(changeReading(0.3, two)).toBe("concerning: rises past the rule's margin");
    // maxRise on strong resistance: the user declared a rise concerning.
    expect(changeReading(0.3, marginConcern({ maxRise: 0.1 }, declared, 'x'))).toBe("concerning: rises past the rule's margin");
  });
});

describe('a diff directory whose diff.json and gate.json disagree', () => {
  it('reports the gate alone and says why, never a mix of two comparisons', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'vs-stale-diff-'));
    writeRunFixture(path.join(root, 'base'), ['model-a']);
    writeRunFixture(path.join(root, 'cand'), ['model-b']);
    writeDiffFixture(path.join(root, 'diff'), 'base', 'cand');
    const file = path.join(root, 'diff', 'diff.json');
    const diff = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...diff, base: diff.cand, cand: diff.base }));
    const r = await writeReport('diff', { ctx: { cwd: root, env: {} } });
    expect(r.kind).toBe('gate');
    expect(r.notes.join('\n')).toMatch(/diff\.json in .* compares other runs than gate\.json/);
    const md = readFileSync(path.join(root, 'diff', 'report.md'), 'utf8');
    expect(md.split('\n')[0]).toBe('## valuescope gate — model-a → model-b');
    expect(md).not.toContain('Changes by family');
  });
});
