import { type Document, isMap, isScalar, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type SourceLocation } from '../core/errors.js';

export type Problem = SourceLocation & { message: string };

/** A parsed YAML file that can point back at the line and column of any field. */
export class YamlSource {
  private constructor(
    readonly file: string,
    readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  static parse(file: string, text: string): { source: YamlSource; problems: Problem[] } {
    const lines = new LineCounter();
    // uniqueKeys (the default) turns a repeated key into an error instead of silently keeping the last one.
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const source = new YamlSource(file, doc, lines);
    const problems: Problem[] = [...doc.errors, ...doc.warnings].map((e) => {
      const pos = lines.linePos(e.pos[0]);
      return { file, line: pos.line, column: pos.col, message: `YAML syntax: ${firstLine(e.message)}` };
    });
    return { source, problems };
  }

  /** 1-based line and column of a character offset. */
  positionOf(offset: number): { line: number; column: number } {
    const pos = this.lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }

  /** The document as plain JS values; a file whose aliases expand without bound is a located problem. */
  toJS(): unknown {
    try {
      return this.doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      if (!(e instanceof ReferenceError)) throw e;
      throw new ConfigError(
        [
          {
            file: this.file,
            message: `YAML aliases expand too far (${firstLine(e.message)}): write the values out instead of nesting aliases`,
          },
        ],
        `${this.file} is invalid`,
      );
    }
  }

  /** Location of the node at `path`; falls back to the nearest existing ancestor. */
  locate(path: readonly PropertyKey[], key?: string): Problem & { message: '' } {
    let node: unknown = this.doc.contents;
    let found: unknown = node;
    if (key !== undefined) path = [...path, key];
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (!node || typeof node !== 'object' || !('get' in node)) break;
      const isLast = i === path.length - 1;
      if (isLast && key !== undefined && isMap(node)) {
        // For an unknown key point at the key itself, not its value.
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
        if (pair) found = pair.key;
        break;
      }
      node = (node as { get(k: unknown, keepScalar: boolean): unknown }).get(seg, true);
      if (node) found = node;
    }
    const range = (found as YamlNode | undefined)?.range;
    const pos = this.lines.linePos(range ? range[0] : 0);
    return { file: this.file, line: pos.line, column: pos.col, path: formatPath(path), message: '' };
  }

  /** Turns zod issues into located problems with the field path and what is expected. */
  zodProblems(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): Problem[] {
    const out: Problem[] = [];
    for (const issue of issues) {
      const path = [...prefix, ...issue.path];
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          out.push({ ...this.locate(path, key), message: `unknown field \`${key}\`: remove it or check its spelling` });
        }
        continue;
      }
      out.push({ ...this.locate(path), message: describeIssue(issue) });
    }
    return out;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s ? `.${String(seg)}` : String(seg);
  return s;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) {
    return `missing required field (expected ${issue.expected})`;
  }
  if (issue.code === 'invalid_value') return `${issue.message}`;
  return issue.message.replace(/^Invalid input: /, '');
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
