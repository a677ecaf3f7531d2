import type { CellLabel } from '../../records/cell-label.js';
import { runFile } from '../../records/run-files.js';
import { JsonlAppender } from '../../util/jsonl.js';
import type { ImportedConversation, ImportProblem } from './conversation.js';
import { type LabelSpec, labelOf } from './label-values.js';

type Unplaced = Omit<CellLabel, 'cellId'>;

/** The labels.jsonl line of one conversation (without its cell), nothing when it is unlabelled, or the problem with its value. */
export function labelLine(c: ImportedConversation, spec: LabelSpec, file: string): { line: Unplaced | null } | { problem: ImportProblem } {
  if (c.label === undefined) return { line: null };
  const r = labelOf(c.label, spec);
  if (!r.ok) return { problem: { line: c.line, field: spec.column, message: r.message } };
  if (r.label === null) return { line: null };
  return {
    line: { v: 1, [spec.kind]: r.label, source: { file, line: c.line, column: spec.column, value: c.label } } as Unplaced,
  };
}

/** Appends the labels of an import to <run>/labels.jsonl, opened on the first label (an unlabelled import writes no file). */
export class LabelWriter {
  private appender: JsonlAppender | null = null;
  count = 0;

  constructor(private readonly runDir: string) {}

  async add(cellId: string, line: Unplaced): Promise<void> {
    this.appender ??= await JsonlAppender.open(runFile(this.runDir, 'labels'));
    const { v, ...rest } = line;
    await this.appender.append({ v, cellId, ...rest } satisfies CellLabel);
    this.count++;
  }

  async close(): Promise<void> {
    await this.appender?.sync();
    await this.appender?.close();
    this.appender = null;
  }
}
