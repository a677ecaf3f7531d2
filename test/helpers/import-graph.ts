import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One relative import found in a source file: where it is and which file it points at. */
export interface ImportEdge {
  from: string;
  to: string;
  line: number;
  specifier: string;
  kind: 'static' | 'type' | 'dynamic' | 'worker-url';
}

export function listTsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listTsFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

/**
 * Every relative import of `file`, parsed with the TypeScript compiler rather than a regex so that
 * multi-line, type-only (`import type`, `import('x').T`), re-exports, dynamic `import()` and worker
 * entry points (`new URL('./w.js', import.meta.url)`) are all seen.
 */
export function importsOf(file: string, text: string = readFileSync(file, 'utf8')): ImportEdge[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const add = (lit: ts.Node, kind: ImportEdge['kind']): void => {
    if (!ts.isStringLiteralLike(lit) || !lit.text.startsWith('.')) return;
    const line = sf.getLineAndCharacterOfPosition(lit.getStart(sf)).line + 1;
    const to = path.normalize(path.join(path.dirname(file), lit.text)).replace(/\.js$/, '.ts');
    edges.push({ from: file, to, line, specifier: lit.text, kind });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, node.importClause?.isTypeOnly ? 'type' : 'static');
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier) add(node.moduleSpecifier, node.isTypeOnly ? 'type' : 'static');
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, 'type');
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0]) {
      add(node.arguments[0], 'dynamic');
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL') {
      const [first, second] = node.arguments ?? [];
      if (first && second && second.getText(sf) === 'import.meta.url') add(first, 'worker-url');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}
