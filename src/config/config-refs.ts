/**
 * The files a config names besides itself: scenario folders, judge definitions, the taxonomy file.
 * Read leniently from the raw document, so `validate` checks those files even when the config has
 * problems of its own (one pass lists every problem in every file).
 */
export interface ConfigRefs {
  /** `suite:` when it is a list of strings, the default `[scenarios]` when absent; undefined when malformed. */
  suite?: string[];
  /** `judge.judges` when it is a list of strings (default `[lexical]` when absent). */
  judges: string[];
  /** `taxonomy.path` when it is a string. */
  taxonomyPath?: string;
}

export function configRefs(raw: unknown): ConfigRefs {
  const doc = record(raw);
  const suite = 'suite' in doc ? strings(doc.suite) : ['scenarios'];
  const judges = 'judges' in record(doc.judge) ? strings(record(doc.judge).judges) : ['lexical'];
  const taxonomyPath = record(doc.taxonomy).path;
  return {
    ...(suite ? { suite } : {}),
    judges: judges ?? [],
    ...(typeof taxonomyPath === 'string' && taxonomyPath !== '' ? { taxonomyPath } : {}),
  };
}

function record(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function strings(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out = v.filter((x): x is string => typeof x === 'string' && x !== '');
  return out.length > 0 ? out : undefined;
}
