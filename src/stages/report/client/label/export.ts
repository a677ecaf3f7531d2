import type { LabelPageData } from '../../label/label-data.js';
import { isComplete, type LabelStore } from './store.js';

/**
 * The labels as JSON Lines in the gold format `valuescope judge-check` reads (docs/judge-check.md),
 * one line per cell whose answer is complete, in the draw's order; incomplete cells are left out.
 */
export function exportText(data: LabelPageData, store: LabelStore, annotator: string): { text: string; lines: number } {
  const lines: string[] = [];
  for (const cell of data.cells) {
    const l = store.get(cell.cellId);
    if (!isComplete(l)) continue;
    lines.push(
      JSON.stringify({
        id: cell.cellId,
        cellId: cell.cellId,
        runId: data.runId,
        annotator,
        labelledAt: l.labelledAt,
        ...(l.revisedAfterReveal ? { revisedAfterReveal: true } : {}),
        ...(cell.system !== undefined ? { system: cell.system } : {}),
        messages: cell.messages,
        response: cell.response,
        domain: cell.domain,
        gold: {
          responseType: l.responseType,
          refusal: l.refusal,
          // A value field the annotator never went into is not labelled (store.ts CellLabel).
          ...(l.aiVisited || l.aiValues.length > 0 ? { aiValues: l.aiValues } : {}),
          ...(l.humanVisited || l.humanValues.length > 0 ? { humanValues: l.humanValues } : {}),
        },
      }),
    );
  }
  return { text: lines.map((l) => `${l}\n`).join(''), lines: lines.length };
}

/** The file name: annotator and draw, so several annotators' files of one draw sit side by side. */
export function exportName(annotator: string, drawId: string): string {
  const slug =
    annotator
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'annotator';
  return `labels-${slug}-${drawId}.jsonl`;
}

/** Saves `text` through the browser's download (a Blob URL: nothing leaves the machine). */
export function download(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
