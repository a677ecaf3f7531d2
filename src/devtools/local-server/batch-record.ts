import type { ParsedChat } from './wire.js';

export type BatchVendor = 'anthropic' | 'openai';

export interface BatchItem {
  customId: string;
  /** The parsed request, or why it is invalid (the item then comes back errored with a 400). */
  chat: ParsedChat | string;
}

type ItemOutcome = 'succeeded' | 'errored' | 'expired' | 'canceled';

export interface ItemResult {
  customId: string;
  outcome: ItemOutcome;
  /** Request id of the item, as a single request would carry it. */
  requestId: string;
  /** The vendor's success body (a message or a chat.completion). */
  body?: unknown;
  /** HTTP status and message of an errored item. */
  status?: number;
  message?: string;
  usage?: { input: number; cached: number; output: number };
}

/** OpenAI's batch error list entry (validation of the input file). */
export interface InputFileError {
  code: string;
  message: string;
  line: number | null;
  param: string | null;
}

/** One batch of either vendor. Items are answered only when the batch ends (batch-lifecycle.ts). */
export interface BatchRecord {
  id: string;
  vendor: BatchVendor;
  items: BatchItem[];
  createdAt: number;
  /** Status reads so far; they drive the end (options batchPolls, batchDelayMs). */
  reads: number;
  phase: 'in_progress' | 'canceling' | 'ended';
  cancelAt?: number;
  endedAt?: number;
  /** Ended by a cancel (unanswered items canceled) or by expiry. */
  how?: 'canceled' | 'expired' | 'completed' | 'failed';
  results?: ItemResult[];
  /** OpenAI only. */
  inputFileId?: string;
  metadata?: Record<string, string> | null;
  outputFileId?: string | null;
  errorFileId?: string | null;
  inputErrors?: InputFileError[];
}

/** An uploaded or batch-written OpenAI file. */
export interface StoredFile {
  id: string;
  filename: string;
  purpose: string;
  createdAt: number;
  content: string;
}
