import type { Block } from './blocks.js';
import { VERDICT_TEXT } from './blocks.js';
import { escapeMarkdown } from './escape.js';
import type { ChartsOutcome } from './render-charts.js';

const VERDICT_ICON = { pass: '✅', fail: '❌', inconclusive: '❔', error: '⚠️' } as const;

/** GitHub-flavoured Markdown, fit to paste as a PR comment. Chart links are relative to the report directory. */
export function renderMarkdown(title: string, blocks: readonly Block[], charts: ChartsOutcome): string {
  const out: string[] = [`## ${escapeMarkdown(title)}`, ''];
  for (const b of blocks) {
    switch (b.kind) {
      case 'heading':
        out.push(`${'#'.repeat(b.level + 1)} ${escapeMarkdown(b.text)}`, '');
        break;
      case 'verdict':
        out.push(`> ${VERDICT_ICON[b.status]} **Gate ${VERDICT_TEXT[b.status]}** — ${escapeMarkdown(b.text)}`, '');
        break;
      case 'para': {
        const t = escapeMarkdown(b.text);
        out.push(b.strong ? `**${t}**` : b.muted ? `<sub>${t}</sub>` : t, '');
        break;
      }
      case 'list':
        out.push(...b.items.map((i) => `- ${escapeMarkdown(i)}`), '');
        break;
      case 'table': {
        if (b.caption) out.push(`*${escapeMarkdown(b.caption)}*`, '');
        out.push(`| ${b.head.map(escapeMarkdown).join(' | ')} |`);
        out.push(`|${b.head.map((_, i) => (b.align?.[i] === 'r' ? '---:' : '---')).join('|')}|`);
        for (const r of b.rows) out.push(`| ${r.map(escapeMarkdown).join(' | ')} |`);
        out.push('');
        break;
      }
      case 'charts':
        if (charts.skipped) out.push(`> ${escapeMarkdown(charts.skipped)}`, '');
        else out.push(...charts.charts.map((c) => `- [${escapeMarkdown(c.title)}](${encodeURI(c.href)})`), '');
        break;
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
