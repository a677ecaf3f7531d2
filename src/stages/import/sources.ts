import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { InputError } from '../../core/errors.js';
import { type ChatFormat, parseChatLine } from './chat-formats.js';
import { type ImportItem, splitTurns } from './conversation.js';

/** Streams a JSONL file of chat message lists; every non-blank line yields a conversation or a problem. */
export async function* jsonlItems(file: string, format: ChatFormat, labelField?: string): AsyncGenerator<ImportItem> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    yield parseChatLine(format, text, line, labelField);
  }
}

export interface CsvColumns {
  prompt: string;
  response: string;
  system?: string | undefined;
  id?: string | undefined;
  /** `--label-column`: a human label per row. */
  label?: string | undefined;
}

/** Streams a CSV with one single-turn conversation per row; optional domain, model and user_values columns are read too. */
export async function* csvItems(file: string, columns: CsvColumns): AsyncGenerator<ImportItem> {
  const problems: ImportItem[] = [];
  const parser = createReadStream(file, { encoding: 'utf8' }).pipe(
    parse({ columns: true, info: true, bom: true, skip_empty_lines: true, skip_records_with_error: true }),
  );
  parser.on('skip', (err: Error & { lines?: number }) => {
    problems.push({ ok: false, problem: { line: err.lines ?? 0, field: '(row)', message: err.message } });
  });
  let prevEnd = 1;
  let checked = false;
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    yield* problems.splice(0);
    if (!checked) {
      checked = true;
      const missing = [columns.prompt, columns.response, columns.system, columns.id, columns.label].filter(
        (c): c is string => c !== undefined && !(c in record),
      );
      if (missing.length > 0) {
        throw new InputError(
          `missing column(s) ${missing.join(', ')}; found ${Object.keys(record).join(', ')}; name them with --prompt-column/--response-column/--system-column/--id-column/--label-column`,
          { file, line: 1 },
        );
      }
    }
    const line = prevEnd + 1;
    prevEnd = info.lines;
    yield csvRow(record, line, columns);
  }
  yield* problems.splice(0);
}

function csvRow(record: Record<string, string>, line: number, columns: CsvColumns): ImportItem {
  const prompt = record[columns.prompt] ?? '';
  if (prompt.trim() === '') return { ok: false, problem: { line, field: columns.prompt, message: 'the prompt is empty' } };
  const split = splitTurns(
    line,
    [
      { role: 'user', content: prompt },
      { role: 'assistant', content: record[columns.response] ?? '' },
    ],
    columns.response,
  );
  if (!split.ok) return { ok: false, problem: { ...split.problem, field: columns.response } };
  const system = columns.system ? record[columns.system] : record.system;
  const id = columns.id ? record[columns.id] : record.id;
  const values = record.user_values ?? record.userValues;
  return {
    ok: true,
    conversation: {
      line,
      messages: split.messages,
      response: split.response,
      ...(system ? { system } : {}),
      ...(id ? { id } : {}),
      ...(record.domain ? { domain: record.domain } : {}),
      ...(record.model ? { model: record.model } : {}),
      ...(columns.label && record[columns.label] ? { label: record[columns.label] } : {}),
      ...(values
        ? {
            userValues: values
              .split(/[;|]/)
              .map((v) => v.trim())
              .filter(Boolean),
          }
        : {}),
    },
  };
}
