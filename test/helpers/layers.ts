import path from 'node:path';
import type { ImportEdge } from './import-graph.js';

/**
 * The layers of src/, top to bottom (docs/architecture.md). A module may import only from its own
 * unit or from a lower layer. Units in one layer (the stages; providers, scenarios and taxonomy)
 * never import one another: stages meet through the files in records/.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['cli'],
  ['app'],
  ['devtools'],
  ['stages/run', 'stages/judge', 'stages/analyze', 'stages/report', 'stages/import'],
  ['calls'],
  ['providers', 'scenarios', 'taxonomy'],
  ['config'],
  ['records'],
  ['util'],
  ['core'],
];

/** The app commands allowed to start developer tools (the local server and the offline demo). */
const DEVTOOLS_USERS: readonly string[] = ['app/demo-command.ts', 'app/local-server-command.ts'];

export interface Violation {
  edge: ImportEdge;
  message: string;
}

/** The unit a file of src/ belongs to: `stages/<stage>` for stage files, else its top-level folder. */
function unitOf(file: string, srcDir: string): string {
  const parts = path.relative(srcDir, file).split(path.sep);
  if (parts.length < 2) return '(src root)';
  return parts[0] === 'stages' && parts.length > 2 ? `stages/${parts[1]}` : (parts[0] ?? '');
}

function layerIndex(unit: string): number {
  return LAYERS.findIndex((units) => units.includes(unit));
}

export function checkEdge(edge: ImportEdge, srcDir: string): Violation | null {
  const from = unitOf(edge.from, srcDir);
  const to = unitOf(edge.to, srcDir);
  if (path.relative(srcDir, edge.to).startsWith('..')) {
    return { edge, message: `imports ${edge.specifier}, outside src/` };
  }
  const lf = layerIndex(from);
  const lt = layerIndex(to);
  if (lf < 0) return { edge, message: `is in "${from}", which is not a layer (move it into one of ${LAYERS.flat().join(', ')})` };
  if (lt < 0) return { edge, message: `imports ${edge.specifier} from "${to}", which is not a layer` };
  if (from === to) return null;
  if (to === 'devtools' && !DEVTOOLS_USERS.includes(path.relative(srcDir, edge.from).split(path.sep).join('/'))) {
    return { edge, message: `imports ${edge.specifier} from devtools/: only ${DEVTOOLS_USERS.join(' and ')} may start developer tools` };
  }
  if (lt === lf) {
    return {
      edge,
      message: `imports ${edge.specifier}: "${from}" and "${to}" are siblings in one layer and never import each other (share through a lower layer, e.g. records/)`,
    };
  }
  if (lt < lf) return { edge, message: `imports ${edge.specifier}: "${from}" may not import upward from "${to}"` };
  return null;
}

/** Cycles between units (Tarjan's strongly connected components), each as a list of units. */
export function unitCycles(edges: readonly ImportEdge[], srcDir: string): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    const a = unitOf(e.from, srcDir);
    const b = unitOf(e.to, srcDir);
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    if (!graph.has(b)) graph.set(b, new Set());
    graph.get(a)?.add(b);
  }
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, idx.get(w) ?? 0));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
        onStack.delete(w);
        comp.push(w);
        if (w === v) break;
      }
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) strong(v);
  return out;
}
