import { type GateResult, type GateRuleResult, gateQFamily, pointsText, pValueText, qFamilyText } from '../../../records/diff.js';

/** Escapes text for a GitHub Markdown table cell (no HTML, no pipe, no line break). */
export function mdCell(s: string): string {
  return s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
const pts = (x: number | null) => (x === null ? '–' : pointsText(x));

const MARK = { pass: '✅', fail: '❌', inconclusive: '❔', error: '⚠️' } as const;

/** "2 passed, 1 failed, 1 inconclusive (counted as failing: gate.onInconclusive: fail)". */
function countsLine(result: GateResult): string {
  const n = (s: GateRuleResult['status']) => result.rules.filter((r) => r.status === s).length;
  const parts = [`${n('pass')} passed`, `${n('fail')} failed`];
  if (n('inconclusive') > 0) {
    const policy = result.onInconclusive ?? 'fail';
    parts.push(
      `${n('inconclusive')} inconclusive (${policy === 'fail' ? 'counted as failing' : 'let through'}: gate.onInconclusive: ${policy})`,
    );
  }
  if (n('error') > 0) parts.push(`${n('error')} errored`);
  return `**${parts.join(', ')} of ${result.rules.length} rules.**`;
}

/** GitHub step summary: verdict first, then one row per rule with its MDE; inconclusive rules with their reason. */
export function gateSummaryMarkdown(result: GateResult): string {
  const icon = MARK[result.verdict];
  const level = `${Math.round((1 - result.alpha) * 1000) / 10}%`;
  const family = qFamilyText(gateQFamily(result));
  const out = [
    `## ${icon} valuescope gate: ${result.verdict.toUpperCase()}`,
    '',
    `\`${mdCell(result.base.modelId)}\` (${mdCell(result.base.spec)}) → \`${mdCell(result.cand.modelId)}\` (${mdCell(result.cand.spec)}), ${result.sharedScenarios} shared scenarios, alpha ${result.alpha}; q: ${family}.`,
    '',
    countsLine(result),
    '',
    `| | rule | status | base | cand | change (pts) | ${level} CI | q (${family}) | MDE (80% power) | detail |`,
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of result.rules) {
    const ci = r.lo === null || r.hi === null ? '–' : `[${pts(r.lo)}, ${pts(r.hi)}]`;
    out.push(
      `| ${MARK[r.status]} | ${mdCell(r.name)} | ${r.status.toUpperCase()} | ${pct(r.base)} | ${pct(r.cand)} | ${pts(r.delta)} | ${ci} | ${r.q === null ? '–' : pValueText(r.q)} | ${r.mde === null ? '–' : `${(r.mde * 100).toFixed(1)} pts`} | ${mdCell(r.message)} |`,
    );
  }
  const open = result.rules.filter((r) => r.status === 'inconclusive');
  if (open.length > 0) out.push('', ...open.map((r) => `- **INCONCLUSIVE** ${mdCell(r.name)}: ${mdCell(r.reason ?? r.message)}`));
  if (result.warnings.length > 0) out.push('', ...result.warnings.map((w) => `> ${mdCell(w)}`));
  out.push('');
  return out.join('\n');
}
