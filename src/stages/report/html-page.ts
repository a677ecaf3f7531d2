import { writeFileAtomicStreamed } from '../../util/atomic-stream.js';
import type { Block, CellLink, TableCell } from './blocks.js';
import { VERDICT_TEXT } from './blocks.js';
import { pagePolicy } from './content-policy.js';
import { escapeHtml as h, jsonForScript } from './escape.js';
import type { ExamplesData } from './example-data.js';
import { reportScript } from './html-client.js';
import { REPORT_CSS } from './html-style.js';
import type { ChartsOutcome } from './render-charts.js';
import type { TranscriptCell } from './transcript-cell.js';
import { transcriptSectionHtml } from './transcript-section.js';

/** A link's data for the page script (client/links.ts): JSON in an attribute, escaped like any attribute. */
function linkAttr(link: CellLink): string {
  return ` data-link="${h(JSON.stringify(link))}"`;
}

function cellHtml(c: TableCell, right: boolean): string {
  const cls = right ? ' class="r"' : '';
  if (typeof c === 'string') return `<td${cls}>${h(c)}</td>`;
  const title = c.title ? ` title="${h(c.title)}"` : '';
  const text = c.link ? `<a href="#transcripts" class="cells-link"${linkAttr(c.link)}>${h(c.text)}</a>` : h(c.text);
  return `<td${cls}${title}>${text}</td>`;
}

function tableHtml(b: Extract<Block, { kind: 'table' }>): string {
  const head = `<tr>${b.head.map((c) => `<th>${h(c)}</th>`).join('')}</tr>`;
  const rows = b.rows
    .map((r, ri) => {
      const link = b.rowLinks?.[ri];
      const attrs = link ? ` class="linked" tabindex="0"${linkAttr(link)}` : '';
      return `<tr${attrs}>${r.map((c, i) => cellHtml(c, b.align?.[i] === 'r')).join('')}</tr>`;
    })
    .join('\n');
  // Above the scrolling box, so a narrow screen wraps the caption instead of cutting it off.
  const caption = b.caption ? `<p class="caption muted">${h(b.caption)}</p>` : '';
  // Wide tables scroll inside their box, never the page (narrow screens).
  return `${caption}<div class="table-wrap"><table${b.id ? ` id="${h(b.id)}"` : ''}><thead>${head}</thead><tbody>${rows}</tbody></table></div>`;
}

function chartsHtml(charts: ChartsOutcome): string {
  if (charts.skipped) return `<p class="notice" id="charts-skipped">${h(charts.skipped)}</p>`;
  return charts.charts
    .map(
      (c) =>
        `<figure><img class="chart" src="data:image/png;base64,${c.png.toString('base64')}" alt="${h(c.alt)}" width="${c.png.readUInt32BE(16)}" height="${c.png.readUInt32BE(20)}"><figcaption>${h(c.title)}</figcaption></figure>`,
    )
    .join('\n');
}

function blockHtml(b: Block, charts: ChartsOutcome): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level}${b.id ? ` id="${h(b.id)}"` : ''}>${h(b.text)}</h${b.level}>`;
    case 'verdict':
      return `<div id="verdict" class="verdict ${b.status}" data-verdict="${b.status}">Gate ${VERDICT_TEXT[b.status]} — ${h(b.text)}</div>`;
    case 'banner':
      return `<div class="banner ${b.tone}" role="alert" data-banner="${b.tone}"><strong>${h(b.title)}</strong> ${h(b.text)}</div>`;
    case 'para':
      return `<p${b.muted ? ' class="muted"' : ''}>${b.strong ? `<strong>${h(b.text)}</strong>` : h(b.text)}</p>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${h(i)}</li>`).join('')}</ul>`;
    case 'table':
      return tableHtml(b);
    case 'details':
      return `<details class="section"${b.open ? ' open' : ''}${b.id ? ` id="${h(b.id)}"` : ''}><summary>${h(b.summary)}</summary>\n${b.blocks.map((x) => blockHtml(x, charts)).join('\n')}\n</details>`;
    case 'charts':
      return chartsHtml(charts);
  }
}

export interface HtmlPageInput {
  file: string;
  title: string;
  blocks: readonly Block[];
  charts: ChartsOutcome;
  /** Streams the transcripts to embed; returns how many were written. */
  cells: (emit: (cell: TranscriptCell) => void) => Promise<number>;
  /** Paired examples for the page's change and rule rows (empty for a run report). */
  examples?: ExamplesData;
}

/**
 * Writes report.html as one self-contained file. Transcripts are streamed into an inline JSON block
 * (escaped for the <script> context) so a large run never needs its transcripts in memory at once.
 */
export async function writeHtmlPage(input: HtmlPageInput): Promise<{ cells: number }> {
  const script = reportScript();
  const head = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(pagePolicy({ style: REPORT_CSS, script, images: true }))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${h(input.title)}</title>
<style>${REPORT_CSS}</style></head>
<body>
<h1>${h(input.title)}</h1>
<nav><a href="#report">Report</a><a href="#charts">Charts</a><a href="#transcripts">Transcripts</a></nav>
<main id="report">
${input.blocks.map((b) => blockHtml(b, input.charts)).join('\n')}
</main>
${transcriptSectionHtml()}
<script type="application/json" id="cells">[`;
  return writeFileAtomicStreamed(input.file, async (handle) => {
    let buffer = head;
    let first = true;
    const flushAt = 1 << 20;
    // Writes are chained: FileHandle.write must not run concurrently on one file.
    let chain: Promise<unknown> = Promise.resolve();
    const count = await input.cells((cell) => {
      buffer += (first ? '' : ',\n') + jsonForScript(cell);
      first = false;
      if (buffer.length > flushAt) {
        const chunk = buffer;
        chain = chain.then(() => handle.write(chunk));
        buffer = '';
      }
    });
    const examples = input.examples ?? { baseLabel: '', candidateLabel: '', sets: [] };
    buffer += `]</script>\n<script type="application/json" id="examples">${jsonForScript(examples)}</script>\n<script>${script}</script>\n</body></html>\n`;
    await chain;
    await handle.write(buffer);
    return { cells: count };
  });
}
