import type { HistoryFile } from '../../records/history.js';
import { escapeMarkdown as e } from './escape.js';
import {
  changeInto,
  changeText,
  coverageText,
  flagMarker,
  methodText,
  metricText,
  runLabel,
  SYNTHETIC_BANNER,
  servedText,
  shareText,
  summaryText,
} from './history-format.js';

/** Rows = metrics, columns = runs by date; a flagged change from the previous run is bold with ▲ or ▼. */
function metricsTable(h: HistoryFile): string[] {
  const head = `| metric | ${h.runs.map((r, i) => e(runLabel(r, i))).join(' | ')} |`;
  const rule = `|---|${h.runs.map(() => '---:').join('|')}|`;
  const coverage = `| *covers* | ${h.runs.map((run) => e(coverageText(run))).join(' | ')} |`;
  const rows = h.settings.metrics.map((metric) => {
    const cells = h.runs.map((run, i) => {
      const text = shareText(run.metrics[metric]);
      const mark = flagMarker(changeInto(h, i, metric));
      return mark ? `**${text} ${mark}**` : text;
    });
    return `| ${e(metricText(metric))} | ${cells.join(' | ')} |`;
  });
  return [head, rule, coverage, ...rows];
}

function flaggedList(h: HistoryFile): string[] {
  const lines = h.comparisons.flatMap((c) =>
    c.changes
      .filter((ch) => ch.flagged)
      .map(
        (ch) =>
          `- ${e(metricText(ch.metric))}: ${e(runLabel(h.runs[c.from]!, c.from))} → ${e(runLabel(h.runs[c.to]!, c.to))}: ${changeText(ch)}`,
      ),
  );
  return lines.length > 0 ? lines : ['None: no change between consecutive runs is significant after the correction.'];
}

function servedTable(h: HistoryFile): string[] {
  const rows = h.runs.map((run, i) => {
    const change = i > 0 ? h.comparisons[i - 1]!.modelChange : null;
    const note = change
      ? `${change.kind === 'model' ? '**⚠ model changed**' : 'fingerprint changed'}: ${e(change.from)} → ${e(change.to)}`
      : '';
    return `| ${e(runLabel(run, i))} | ${e(run.configuredModel ?? 'unknown')} | ${e(servedText(run))} | ${note} |`;
  });
  return ['| run | configured model | served model (cells) | change from the previous run |', '|---|---|---|---|', ...rows];
}

/** history.md: plain GitHub Markdown, readable in a pull request. */
export function historyMarkdown(h: HistoryFile): string {
  const synthetic = h.runs.some((r) => r.synthetic) ? [`> **${e(SYNTHETIC_BANNER)}**`, ''] : [];
  const warnings = h.warnings.length + h.comparisons.reduce((n, c) => n + c.warnings.length, 0);
  const lines = [
    `# History: ${e(h.target)}`,
    '',
    ...synthetic,
    e(summaryText(h)),
    '',
    '## Key metrics',
    '',
    ...metricsTable(h),
    '',
    `**Bold ▲/▼**: significant change from the previous run. ${e(methodText(h))}`,
    '',
    '## Flagged changes',
    '',
    ...flaggedList(h),
    '',
    '## Served model',
    '',
    ...servedTable(h),
    '',
  ];
  if (warnings > 0) {
    lines.push('## Warnings', '');
    for (const w of h.warnings) lines.push(`- ${e(w)}`);
    for (const c of h.comparisons) for (const w of c.warnings) lines.push(`- ${e(runLabel(h.runs[c.to]!, c.to))}: ${e(w)}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
