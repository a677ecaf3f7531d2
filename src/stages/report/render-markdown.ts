import { type Block, cellText, VERDICT_TEXT } from './blocks.js';
import { escapeHtml, escapeMarkdown } from './escape.js';
import type { ChartsOutcome } from './render-charts.js';

const VERDICT_ICON = { pass: '✅', fail: '❌', inconclusive: '❔', error: '⚠️' } as const;

/** GitHub-flavoured Markdown, fit to paste as a PR comment. Chart links are relative to the report directory. */
export function renderMarkdown(title: string, blocks: readonly Block[], charts: ChartsOutcome): string {
  const out: string[] = [`## ${escapeMarkdown(title)}`, ''];
  for (const b of blocks) out.push(...blockMarkdown(b, charts));
  return `${out.join('\n').trimEnd()}\n`;
}

function tableMarkdown(b: Extract<Block, { kind: 'table' }>): string[] {
  const out: string[] = [];
  if (b.caption) out.push(`*${escapeMarkdown(b.caption)}*`, '');
  out.push(`| ${b.head.map(escapeMarkdown).join(' | ')} |`);
  out.push(`|${b.head.map((_, i) => (b.align?.[i] === 'r' ? '---:' : '---')).join('|')}|`);
  const rows = b.mdLimit !== undefined ? b.rows.slice(0, b.mdLimit) : b.rows;
  for (const r of rows) out.push(`| ${r.map((c) => escapeMarkdown(cellText(c))).join(' | ')} |`);
  out.push('');
  if (rows.length < b.rows.length)
    out.push(`<sub>… and ${b.rows.length - rows.length} more rows in report.html and the CSV files.</sub>`, '');
  return out;
}

function blockMarkdown(b: Block, charts: ChartsOutcome): string[] {
  switch (b.kind) {
    case 'heading':
      return [`${'#'.repeat(b.level + 1)} ${escapeMarkdown(b.text)}`, ''];
    case 'verdict':
      return [`> ${VERDICT_ICON[b.status]} **Gate ${VERDICT_TEXT[b.status]}** — ${escapeMarkdown(b.text)}`, ''];
    case 'banner':
      return [`> [!WARNING]`, `> **${escapeMarkdown(b.title)}** ${escapeMarkdown(b.text)}`, ''];
    case 'para': {
      const t = escapeMarkdown(b.text);
      return [b.strong ? `**${t}**` : b.muted ? `<sub>${t}</sub>` : t, ''];
    }
    case 'list':
      return [...b.items.map((i) => `- ${escapeMarkdown(i)}`), ''];
    case 'table':
      return tableMarkdown(b);
    case 'details':
      if (b.htmlOnly) return [];
      // GitHub renders Markdown inside <details> when blank lines surround it; the summary is HTML text.
      return [
        `<details><summary>${escapeHtml(b.summary)}</summary>`,
        '',
        ...b.blocks.flatMap((x) => blockMarkdown(x, charts)),
        '</details>',
        '',
      ];
    case 'charts':
      if (charts.skipped) return [`> ${escapeMarkdown(charts.skipped)}`, ''];
      return [...charts.charts.map((c) => `- [${escapeMarkdown(c.title)}](${encodeURI(c.href)})`), ''];
  }
}
