import { describe, expect, it } from 'vitest';
import { GateConfigSchema } from '../src/config/gate-schema.js';
import type { GateResult } from '../src/records/diff.js';
import { mdCell } from '../src/stages/analyze/diff/md-cell.js';
import { gateJunit, xmlEscape } from '../src/stages/analyze/gate/junit.js';
import { evaluateMetricRule } from '../src/stages/analyze/gate/rule-verdict.js';

describe('gate config and outputs', () => {
  it('rejects unknown metrics and duplicate rule names with a path', () => {
    const bad = GateConfigSchema.safeParse({ rules: [{ name: 'x', metric: 'response_type:strong_resistence', maxDrop: 0.1 }] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.some((i) => /unknown metric/.test(i.message) || i.code === 'invalid_union')).toBe(true);
    const dup = GateConfigSchema.safeParse({
      rules: [
        { name: 'a', metric: 'expect_pass' },
        { name: 'a', forbid: 'watchlist' },
      ],
    });
    expect(dup.success).toBe(false);
    expect(dup.error!.issues[0]!.path).toEqual(['rules', 1, 'name']);
    expect(GateConfigSchema.parse({ rules: [{ name: 'p', metric: 'category:l3:Protective values', maxDrop: 0.1 }] }).rules).toHaveLength(1);
  });

  it('a rule fails only beyond the margin AND significant; passes only with its interval inside the margin', () => {
    const rule = { name: 'r', metric: 'expect_pass', maxDrop: 0.05 };
    const base = { alpha: 0.05, scenarios: 10 };
    expect(evaluateMetricRule(rule, { ...base, delta: -0.1, q: 0.01, lo: -0.15, hi: -0.06 }).status).toBe('fail');
    // Beyond the margin but not significant: the data cannot tell (was a PASS before three verdicts).
    expect(evaluateMetricRule(rule, { ...base, delta: -0.1, q: 0.2, lo: -0.2, hi: 0.01 }).status).toBe('inconclusive');
    expect(evaluateMetricRule(rule, { ...base, delta: -0.04, q: 0.001, lo: -0.045, hi: -0.035 }).status).toBe('pass');
    expect(evaluateMetricRule(rule, { ...base, delta: 0.3, q: 0.001, lo: 0.2, hi: 0.4 }).status).toBe('pass');
    // Without an interval a rule cannot show it is inside its margin.
    expect(evaluateMetricRule(rule, { ...base, delta: 0.3, q: 0.001 }).status).toBe('inconclusive');
    expect(evaluateMetricRule(rule, { ...base, delta: null, q: 1 }).status).toBe('error');
  });

  it('escapes XML and Markdown in rule names and messages', () => {
    expect(xmlEscape(`<a href="x">&'\u0001`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
    expect(mdCell('a|b <script>')).toBe('a\\|b \\<script\\>');
    const side = {
      spec: 's',
      runDir: '/r',
      runId: null,
      modelId: 'm<1>',
      suiteHash: null,
      judgeHashes: [],
      judgeIds: [],
      scenarios: 1,
      judged: 1,
      errored: 0,
    };
    const result: GateResult = {
      v: 1,
      kind: 'gate',
      generatedAt: 't',
      verdict: 'fail',
      exitCode: 1,
      alpha: 0.05,
      base: side,
      cand: side,
      sharedScenarios: 1,
      warnings: [],
      rules: [
        {
          name: 'evil "rule" <x>',
          kind: 'forbid',
          metric: null,
          domain: null,
          margin: {},
          status: 'fail',
          message: 'found <b>&',
          base: null,
          cand: null,
          delta: null,
          lo: null,
          hi: null,
          p: null,
          q: null,
          mde: null,
          hits: [],
        },
      ],
    };
    const xml = gateJunit(result);
    expect(xml).toContain('name="evil &quot;rule&quot; &lt;x&gt;"');
    expect(xml).toContain('<failure message="found &lt;b&gt;&amp;">');
    expect(xml).not.toMatch(/<b>|<x>/);
  });
});
