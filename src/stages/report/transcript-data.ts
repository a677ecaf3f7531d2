import path from 'node:path';
import { type Judgment, JudgmentSchema } from '../../records/judgment.js';
import { TranscriptSchema } from '../../records/transcript.js';
import { readJsonl } from '../../util/jsonl.js';
import { findMarks, type Mark } from './highlight.js';

/** One transcript as the HTML report's browser needs it (short keys: thousands of these are embedded). */
export interface BrowserCell {
  /** cell id */
  c: string;
  /** label of the side/model shown in the page */
  m: string;
  d: string;
  s: string;
  n: number;
  sys?: string;
  msgs: { r: string; t: string }[];
  resp: string | null;
  err?: string;
  rt?: string | null;
  rf?: string | null;
  /** AI values: name, top-level category, evidence. */
  av?: { v: string; c: string | null; e?: string }[];
  hv?: string[];
  uv: string[];
  marks?: Mark[];
  jerr?: string;
}

export interface CellSource {
  runDir: string;
  /** Only this model's cells (diff sides); null = every model. */
  modelId: string | null;
  /** Label shown for the model; defaults to the model id. */
  label?: string;
}

/**
 * Streams transcripts.jsonl and joins each line with its judgment (judgments are held in a map,
 * transcripts never are: `onCell` receives them one at a time).
 */
export async function streamCells(src: CellSource, onCell: (cell: BrowserCell) => void, notes: string[]): Promise<number> {
  const judgments = new Map<string, Judgment>();
  const jfile = path.join(src.runDir, 'judgments.jsonl');
  for await (const { value } of readJsonl(jfile, JudgmentSchema, {
    onTorn: (l) => notes.push(`${jfile}:${l}: dropped a torn last line`),
  })) {
    if (src.modelId === null || value.modelId === src.modelId) judgments.set(value.cellId, value);
  }
  let count = 0;
  const tfile = path.join(src.runDir, 'transcripts.jsonl');
  for await (const { value: t } of readJsonl(tfile, TranscriptSchema, {
    onTorn: (l) => notes.push(`${tfile}:${l}: dropped a torn last line`),
  })) {
    if (src.modelId !== null && t.modelId !== src.modelId) continue;
    const j = judgments.get(t.cellId);
    const cell: BrowserCell = {
      c: t.cellId,
      m: src.label ?? t.modelId,
      d: t.domain,
      s: t.scenarioId,
      n: t.sample,
      msgs: t.request.messages.map((m) => ({ r: m.role, t: m.content })),
      resp: t.response?.text ?? null,
      uv: t.userValues,
    };
    if (t.request.system !== undefined) cell.sys = t.request.system;
    if (t.error) cell.err = `${t.error.kind}: ${t.error.message}`;
    if (j) {
      cell.rt = j.responseType;
      cell.rf = j.refusal;
      cell.av = j.aiValues.map((v) => ({ v: v.name, c: v.taxonomy.l3, ...(v.evidence !== undefined ? { e: v.evidence } : {}) }));
      cell.hv = j.humanValues.map((v) => v.name);
      if (j.error) cell.jerr = `${j.error.kind}: ${j.error.message}`;
      if (cell.resp)
        cell.marks = findMarks(
          cell.resp,
          j.aiValues.map((v) => v.evidence),
        );
    }
    onCell(cell);
    count++;
  }
  return count;
}
