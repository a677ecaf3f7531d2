import path from 'node:path';
import picomatch from 'picomatch';
import type { Scenario } from '../../scenarios/schema.js';

/** What a `--scenarios` glob is matched against: id, path in the suite folder (with and without extension), file as loaded. */
export function matchNames(s: Scenario): string[] {
  const file = s.file.split(path.sep).join('/');
  const inSuite = s.suitePath ?? `${s.domain}/${path.posix.basename(file)}`;
  return [s.id, inSuite, inSuite.replace(/\.ya?ml$/, ''), file];
}

/** A scenario is selected when any of its names matches the glob, so a negated glob leaves out only what matches all of them. */
export function selectedBy(glob: string): (s: Scenario) => boolean {
  const isMatch = picomatch(glob);
  return (s) => matchNames(s).some((name) => isMatch(name));
}

const escapeGlob = (name: string): string => name.replace(/[\\{}()[\],*?!+@|]/g, '\\$&');

/**
 * A `--scenarios` value, shell-quoted, that leaves out exactly `out` from `suite`: a negated brace
 * list of each scenario's id, suite path (with and without extension) and `**` + suite path (its file
 * as loaded), since the negation must match every name. Checked against the suite; null when it does
 * not select exactly the rest (names `**` cannot reach, such as dot folders).
 */
export function excludingGlob(suite: readonly Scenario[], out: readonly Scenario[]): string | null {
  const alternatives = out.flatMap((s) => {
    const [id, inSuite, bare] = matchNames(s).map(escapeGlob);
    return [...new Set([id!, inSuite!, bare!, `**/${inSuite}`])];
  });
  const glob = `!{${alternatives.join(',')}}`;
  const keep = selectedBy(glob);
  const left = new Set(out);
  if (!suite.every((s) => keep(s) === !left.has(s))) return null;
  return `'${glob.replace(/'/g, `'\\''`)}'`;
}
