import type { BatchCounts } from '../../providers/batch-model.js';

/** What the batch engine tells the progress display: one event per change of a batch's state. */
export type BatchEvent =
  | { kind: 'submitted'; modelId: string; batchId: string; items: number }
  | { kind: 'reattached'; modelId: string; batchId: string; items: number; adopted: boolean }
  | { kind: 'status'; modelId: string; batchId: string; counts: BatchCounts }
  | { kind: 'ended'; modelId: string; batchId: string; counts: BatchCounts }
  | { kind: 'warning'; modelId: string; message: string };

/** How batch mode gathers, submits and polls (runner.batch in config.yaml). */
export interface BatchSettings {
  pollMs: number;
  gatherMs: number;
  maxItems?: number | undefined;
  /** A batch still running this long after its submit is cancelled; its unfinished items are retried. */
  timeoutMs?: number | undefined;
}
