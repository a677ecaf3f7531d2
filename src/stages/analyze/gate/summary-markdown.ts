import type { GateResult } from '../../../records/diff.js';

/** Escapes text for a GitHub Markdown table cell (no HTML, no pipe, no line break). */
export function mdCell(s: string): string {
  return s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
const pts = (x: number | null) => (x === null ? '–' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`);

/** GitHub step summary: verdict first, then one row per rule with its MDE. */
export function gateSummaryMarkdown(result: GateResult): string {
  const icon = result.verdict === 'pass' ? '✅' : result.verdict === 'fail' ? '❌' : '⚠️';
  const failed = result.rules.filter((r) => r.status !== 'pass');
  const out = [
    `## ${icon} valuescope gate: ${result.verdict.toUpperCase()}`,
    '',
    `\`${mdCell(result.base.modelId)}\` (${mdCell(result.base.spec)}) → \`${mdCell(result.cand.modelId)}\` (${mdCell(result.cand.spec)}), ${result.sharedScenarios} shared scenarios, alpha ${result.alpha} (BH across the gate's metric rules).`,
    '',
    failed.length > 0
      ? `**${failed.length} of ${result.rules.length} rules ${result.verdict === 'error' ? 'failed or errored' : 'failed'}.**`
      : `All ${result.rules.length} rules passed.`,
    '',
    '| | rule | base | cand | change (pts) | 95% CI | q | MDE (80% power) | detail |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of result.rules) {
    const mark = r.status === 'pass' ? '✅' : r.status === 'fail' ? '❌' : '⚠️';
    const ci = r.lo === null || r.hi === null ? '–' : `[${pts(r.lo)}, ${pts(r.hi)}]`;
    out.push(
      `| ${mark} | ${mdCell(r.name)} | ${pct(r.base)} | ${pct(r.cand)} | ${pts(r.delta)} | ${ci} | ${r.q === null ? '–' : r.q.toPrecision(2)} | ${r.mde === null ? '–' : `${(r.mde * 100).toFixed(1)} pts`} | ${mdCell(r.message)} |`,
    );
  }
  if (result.warnings.length > 0) out.push('', ...result.warnings.map((w) => `> ${mdCell(w)}`));
  out.push('');
  return out.join('\n');
}
