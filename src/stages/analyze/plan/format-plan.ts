import type { GateConfig } from '../../../config/gate-schema.js';
import { DEFAULT_MEAN, DEFAULT_RHO } from './power-math.js';
import type { PowerPlanRow } from './power-plan.js';

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const pts = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)} pts`);

function table(rows: string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r) => r.map((c, i) => (i === 0 || i === 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines;
}

/** The power plan as `valuescope plan` and `run --dry-run` print it. */
export function formatPowerPlan(rows: readonly PowerPlanRow[], gate: GateConfig, note?: string): string {
  if (rows.length === 0) return 'Power plan: the gate has no metric rules.\n';
  const m = rows.length;
  const header = ['rule', 'scope', 'scenarios', 'samples', 'margin', 'MDE (80%)', 'P(pass | same)', 'variance'];
  const body = rows.map((r) => [
    r.rule,
    r.domain ?? 'all domains',
    String(r.scenarios),
    String(r.samples),
    r.margin,
    pts(r.mde),
    r.scenarios >= 2 ? pct(r.pass) : '—',
    r.variance,
  ]);
  return [
    `Power plan for the gate's ${m} metric rule${m === 1 ? '' : 's'} (docs/statistics.md, "Power plan"): alpha ${gate.alpha}, MDE at alpha/${m} (BH worst case), 80% power.`,
    ...table([header, ...body]),
    ...rows.map((r) => `  ${r.rule}: ${r.advice}`),
    'MDE: the smallest true change in the guarded direction that FAILS the rule with 80% probability.',
    `P(pass | same): the probability that two identical models PASS the rule (its ${Math.round((1 - gate.alpha) * 1000) / 10}% interval inside the margin); decidable = at least 80%.`,
    note ??
      `Variance: default p = ${DEFAULT_MEAN}, ρ = ${DEFAULT_RHO} (conservative); \`valuescope plan --from RUN\` uses an earlier run's per-scenario rates.`,
    '',
  ].join('\n');
}
