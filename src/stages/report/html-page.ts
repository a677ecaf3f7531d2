import { createHash } from 'node:crypto';
import { writeFileAtomicStreamed } from '../../util/atomic-stream.js';
import type { Block } from './blocks.js';
import { VERDICT_TEXT } from './blocks.js';
import { escapeHtml as h, jsonForScript } from './escape.js';
import { reportScript } from './html-client.js';
import { REPORT_CSS } from './html-style.js';
import type { ChartsOutcome } from './render-charts.js';
import type { TranscriptCell } from './transcript-cell.js';

function sha256b64(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('base64');
}

/**
 * No external source of any kind; the one style and the one script (`script`, inlined verbatim) are
 * allowed by hash, images only as data: URIs.
 */
function contentSecurityPolicy(script: string): string {
  return [
    "default-src 'none'",
    'img-src data:',
    `style-src 'sha256-${sha256b64(REPORT_CSS)}'`,
    `script-src 'sha256-${sha256b64(script)}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function blockHtml(b: Block, charts: ChartsOutcome): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level}${b.id ? ` id="${h(b.id)}"` : ''}>${h(b.text)}</h${b.level}>`;
    case 'verdict':
      return `<div id="verdict" class="verdict ${b.status}" data-verdict="${b.status}">Gate ${VERDICT_TEXT[b.status]} — ${h(b.text)}</div>`;
    case 'para':
      return `<p${b.muted ? ' class="muted"' : ''}>${b.strong ? `<strong>${h(b.text)}</strong>` : h(b.text)}</p>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${h(i)}</li>`).join('')}</ul>`;
    case 'table': {
      const head = `<tr>${b.head.map((c) => `<th>${h(c)}</th>`).join('')}</tr>`;
      const rows = b.rows
        .map((r) => `<tr>${r.map((c, i) => `<td${b.align?.[i] === 'r' ? ' class="r"' : ''}>${h(c)}</td>`).join('')}</tr>`)
        .join('\n');
      return `<table>${b.caption ? `<caption>${h(b.caption)}</caption>` : ''}<thead>${head}</thead><tbody>${rows}</tbody></table>`;
    }
    case 'charts':
      if (charts.skipped) return `<p class="notice" id="charts-skipped">${h(charts.skipped)}</p>`;
      return charts.charts
        .map(
          (c) =>
            `<figure><img class="chart" src="data:image/png;base64,${c.png.toString('base64')}" alt="${h(c.alt)}" width="${c.png.readUInt32BE(16)}" height="${c.png.readUInt32BE(20)}"><figcaption>${h(c.title)}</figcaption></figure>`,
        )
        .join('\n');
  }
}

export interface HtmlPageInput {
  file: string;
  title: string;
  blocks: readonly Block[];
  charts: ChartsOutcome;
  /** Streams the transcripts to embed; returns how many were written. */
  cells: (emit: (cell: TranscriptCell) => void) => Promise<number>;
}

/**
 * Writes report.html as one self-contained file. Transcripts are streamed into an inline JSON block
 * (escaped for the <script> context) so a large run never needs its transcripts in memory at once.
 */
export async function writeHtmlPage(input: HtmlPageInput): Promise<{ cells: number }> {
  const script = reportScript();
  const head = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(contentSecurityPolicy(script))}">
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
<section id="transcripts"><h2>Transcripts</h2>
<p class="muted">Every transcript, grouped by domain and scenario. Highlighted text is the evidence the judge quoted for a value (hover for the value).</p>
<div class="controls"><label for="model-filter">Model</label><select id="model-filter"><option value="">all models</option></select></div>
<div id="browser"></div></section>
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
    buffer += `]</script>\n<script>${script}</script>\n</body></html>\n`;
    await chain;
    await handle.write(buffer);
    return { cells: count };
  });
}
