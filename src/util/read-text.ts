import { promises as fsp } from 'node:fs';
import type { Problem } from './yaml-source.js';

/** Input files valuescope parses whole (config, scenarios, judge definitions) are small; more is a mistake or an attack. */
const MAX_INPUT_BYTES = 1 << 20;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a text input file strictly: larger than `maxBytes`, or not valid UTF-8, is a located problem
 * (with the byte offset of the first bad byte) instead of text silently turned into U+FFFD and sent
 * on. Files that cannot be read at all throw as before (the caller says what was expected there).
 */
export async function readTextInput(
  file: string,
  shown: string,
  maxBytes = MAX_INPUT_BYTES,
): Promise<{ text: string } | { problem: Problem }> {
  const stat = await fsp.stat(file);
  if (stat.size > maxBytes) {
    return {
      problem: {
        file: shown,
        message: `${stat.size} bytes is larger than the ${maxBytes}-byte limit for an input file: is this the right file?`,
      },
    };
  }
  const bytes = await fsp.readFile(file);
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { problem: { file: shown, message: `not valid UTF-8 at byte offset ${firstInvalidByte(bytes)}: save the file as UTF-8` } };
  }
}

function firstInvalidByte(bytes: Uint8Array): number {
  // Binary search on the longest valid prefix: decode is all-or-nothing.
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  // The valid streaming prefix may end inside a multi-byte sequence whose next byte is bad: the
  // error is at that sequence's first byte, the last point where a complete decode succeeds.
  for (let start = lo; start >= Math.max(0, lo - 3); start--) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, start));
      return start;
    } catch {
      // still inside the sequence
    }
  }
  return lo;
}
