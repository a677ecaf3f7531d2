import type { HistoryFile } from '../../records/history.js';
import { pagePolicy } from './content-policy.js';
import { escapeHtml as h } from './escape.js';
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
import { REPORT_CSS } from './html-style.js';
import type { ChartsOutcome } from './render-charts.js';

/** The report's stylesheet plus the history table's flag colours: one style, allowed by its hash. */
const HISTORY_CSS = `${REPORT_CSS}
td.flag{font-weight:700;color:var(--fail);background:#ffebe9}
td.model-change{font-weight:700;color:var(--fail)}
figure{margin:16px 0}figcaption{color:var(--muted);font-size:13px}
`;

function metricsTable(x: HistoryFile): string {
  const head = `<tr><th>metric</th>${x.runs.map((r, i) => `<th>${h(runLabel(r, i))}</th>`).join('')}</tr>`;
  const coverage = `<tr><td><em>covers</em></td>${x.runs.map((run) => `<td class="r">${h(coverageText(run))}</td>`).join('')}</tr>`;
  const rows = x.settings.metrics.map((metric) => {
    const cells = x.runs.map((run, i) => {
      const change = changeInto(x, i, metric);
      const mark = flagMarker(change);
      const tip = change ? ` title="${h(`change from the previous run: ${changeText(change)}`)}"` : '';
      return `<td class="r${mark ? ' flag' : ''}"${tip}>${h(shareText(run.metrics[metric]))}${mark ? ` ${mark}` : ''}</td>`;
    });
    return `<tr><td>${h(metricText(metric))}</td>${cells.join('')}</tr>`;
  });
  return `<div class="table-wrap"><table id="history-metrics"><thead>${head}</thead><tbody>${coverage}\n${rows.join('\n')}</tbody></table></div>`;
}

function flaggedList(x: HistoryFile): string {
  const items = x.comparisons.flatMap((c) =>
    c.changes
      .filter((ch) => ch.flagged)
      .map(
        (ch) =>
          `<li><strong>${h(metricText(ch.metric))}</strong>: ${h(runLabel(x.runs[c.from]!, c.from))} → ${h(runLabel(x.runs[c.to]!, c.to))}: ${h(changeText(ch))}</li>`,
      ),
  );
  if (items.length === 0) return '<p>None: no change between consecutive runs is significant after the correction.</p>';
  return `<ul id="flagged-changes">${items.join('\n')}</ul>`;
}

function servedTable(x: HistoryFile): string {
  const rows = x.runs.map((run, i) => {
    const c = i > 0 ? x.comparisons[i - 1]!.modelChange : null;
    const note = c
      ? `<td class="${c.kind === 'model' ? 'model-change' : ''}">${h(`${c.kind === 'model' ? '⚠ model changed' : 'fingerprint changed'}: ${c.from} → ${c.to}`)}</td>`
      : '<td></td>';
    return `<tr><td>${h(runLabel(run, i))}</td><td>${h(run.configuredModel ?? 'unknown')}</td><td>${h(servedText(run))}</td>${note}</tr>`;
  });
  const head = '<tr><th>run</th><th>configured model</th><th>served model (cells)</th><th>change from the previous run</th></tr>';
  return `<div class="table-wrap"><table id="served-models"><thead>${head}</thead><tbody>${rows.join('\n')}</tbody></table></div>`;
}

function chartsHtml(charts: ChartsOutcome): string {
  if (charts.skipped !== null) return `<p class="notice">${h(charts.skipped)}</p>`;
  return charts.charts
    .map(
      (c) =>
        `<figure><img src="data:image/png;base64,${c.png.toString('base64')}" alt="${h(c.alt)}" width="1000"><figcaption>${h(c.title)}</figcaption></figure>`,
    )
    .join('\n');
}

function warningsHtml(x: HistoryFile): string {
  const items = [
    ...x.warnings.map((w) => `<li>${h(w)}</li>`),
    ...x.comparisons.flatMap((c) => c.warnings.map((w) => `<li>${h(`${runLabel(x.runs[c.to]!, c.to)}: ${w}`)}</li>`)),
  ];
  return items.length > 0 ? `<h2>Warnings</h2><ul>${items.join('\n')}</ul>` : '';
}

/** history.html: one self-contained page (tables, charts inline as data: URIs), every text escaped. */
export function historyHtml(x: HistoryFile, charts: ChartsOutcome): string {
  const synthetic = x.runs.some((r) => r.synthetic) ? `<div class="banner synthetic">${h(SYNTHETIC_BANNER)}</div>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(pagePolicy({ style: HISTORY_CSS, images: true }))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(`History: ${x.target}`)}</title>
<style>${HISTORY_CSS}</style></head>
<body>
<h1>${h(`History: ${x.target}`)}</h1>
${synthetic}
<p id="summary">${h(summaryText(x))}</p>
<h2>Key metrics</h2>
${metricsTable(x)}
<p class="muted">Red ▲/▼: significant change from the previous run (hover a cell for the change). ${h(methodText(x))}</p>
<h2>Flagged changes</h2>
${flaggedList(x)}
<h2>Over time</h2>
${chartsHtml(charts)}
<h2>Served model</h2>
${servedTable(x)}
${warningsHtml(x)}
<p class="muted">${h(`valuescope ${x.harnessVersion}, generated ${x.generatedAt}`)}</p>
</body></html>
`;
}
