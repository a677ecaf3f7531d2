import { type Document, isScalar, visit } from 'yaml';
import type { Problem, YamlSource } from '../util/yaml-source.js';

/** `$${` is an escaped, literal `${` (a system prompt may hold template placeholders); else `${VAR}` / `${VAR:-default}`. */
const PATTERN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in string scalars, in place, before validation, so every
 * problem still points at the right line. A variable that is unset and has no default is an error:
 * silently sending an empty base URL or model name would waste a paid run.
 */
export function interpolateEnv(source: YamlSource, env: Record<string, string | undefined>): Problem[] {
  const problems: Problem[] = [];
  const doc: Document.Parsed = source.doc;
  visit(doc, {
    Scalar(_key, node, path) {
      if (!isScalar(node) || typeof node.value !== 'string' || !node.value.includes('${')) return;
      node.value = node.value.replace(PATTERN, (whole, name: string | undefined, fallback: string | undefined) => {
        if (name === undefined) return '${';
        const value = env[name];
        if (value !== undefined && value !== '') return value;
        if (fallback !== undefined) return fallback;
        const where = path.length > 0 ? node : undefined;
        const range = where?.range;
        problems.push({
          ...source.locate([]),
          ...(range ? source.positionOf(range[0]) : {}),
          path: '',
          message: `environment variable ${name} is not set (used as ${whole}): export it, write \${${name}:-default}, or $\${${name}} for a literal \${${name}}`,
        });
        return whole;
      });
    },
  });
  return problems;
}
