import { type DiffFile, type DiffSide, diffQFamily, type MetricDiff, pointsText, pValueText, qFamilyText } from '../../../records/diff.js';
import { shareBaseText } from '../../../records/metric-key.js';
import { mdCell } from './md-cell.js';

const pts = (x: number | null) => (x === null ? '–' : pointsText(x));
const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);

/** diff.md: what changed, significant changes first; the full table lives in diff.json. */
export function diffMarkdown(diff: DiffFile, maxRows = 30): string {
  const family = qFamilyText(diffQFamily(diff));
  const level = `${Math.round((diff.settings.level ?? 0.95) * 1000) / 10}%`;
  const out = [
    `# valuescope diff: ${mdCell(diff.base.modelId)} → ${mdCell(diff.cand.modelId)}`,
    '',
    `Base \`${mdCell(diff.base.spec)}\`, candidate \`${mdCell(diff.cand.spec)}\`: ${diff.scenarios.shared} shared scenarios (${diff.base.judged} / ${diff.cand.judged} judged cells, ${diff.base.errored} / ${diff.cand.errored} errored).`,
    `Paired by scenario; ${diff.summary.significant} of ${diff.summary.tested} tested metrics significant (q < ${diff.settings.alpha}, ${family}); ${level} intervals; Jensen-Shannon p-values from ${diff.settings.resamples} resamples, seed ${diff.settings.seed}.`,
    'Shares are of responses (judged cells) unless the "share of" column says otherwise; a metric listed with "=" is reported as the row it equals, "= 1 −" as its complement (docs/statistics.md).',
    ...answersLine(diff),
    '',
  ];
  for (const w of diff.comparability.warnings) out.push(`> ⚠️ ${mdCell(w)}`, '');
  const sig = diff.metrics.filter((m) => m.significant).slice(0, maxRows);
  out.push('## Significant changes', '');
  if (sig.length === 0) out.push('None.', '');
  else {
    out.push(
      `| metric | domain | share of | base | cand | change (pts) | ${level} CI | q (${family}) |`,
      '|---|---|---|---|---|---|---|---|',
    );
    for (const m of sig) {
      out.push(
        `| ${mdCell(metricCell(m))} | ${mdCell(m.domain ?? 'all')} | ${shareBaseText(m.metric)} | ${pct(m.base.estimate)} | ${pct(m.cand.estimate)} | ${pts(m.delta)} | [${pts(m.lo)}, ${pts(m.hi)}] | ${m.q === null ? '–' : pValueText(m.q)} |`,
      );
    }
    out.push('');
  }
  out.push('## Distribution distances (Jensen-Shannon)', '', '| distribution | domain | distance | p |', '|---|---|---|---|');
  for (const d of diff.distances.filter((x) => x.domain === null || x.p < diff.settings.alpha)) {
    out.push(`| ${d.kind} | ${mdCell(d.domain ?? 'all')} | ${d.distance.toFixed(3)} | ${pValueText(d.p)} |`);
  }
  out.push('');
  const list = (xs: DiffFile['appeared']) =>
    xs
      .slice(0, 15)
      .map((v) => `${mdCell(v.value)} (${v.cells})`)
      .join(', ') || 'none';
  out.push(`**Values that appeared:** ${list(diff.appeared)}`, '', `**Values that vanished:** ${list(diff.vanished)}`, '');
  return out.join('\n');
}

/** "refusal_rate (= 1 − refusal:none)", "category:l1:x (= value:y)": the metric and the aliases it stands for. */
function metricCell(m: MetricDiff): string {
  const aliases = (m.aliases ?? []).map((a) => (a.relation === 'same' ? `= ${a.metric}` : `= 1 − ${a.metric}`));
  return aliases.length > 0 ? `${m.metric} (${aliases.join('; ')})` : m.metric;
}

/** Each side's answers reused from the response cache or an earlier run (absent in older diff files). */
function answersLine(diff: DiffFile): string[] {
  if (!diff.base.answers && !diff.cand.answers) return [];
  const side = (s: DiffSide) => (s.answers ? `${s.answers.cached} of ${s.answers.cells} (${pct(s.answers.cachedShare)})` : 'unknown');
  return [`Answers reused from the response cache or an earlier run: base ${side(diff.base)}, candidate ${side(diff.cand)}.`];
}
