/**
 * How profile.json, diff.json, gate.json and the reports mark an analysis of incomplete input
 * (`--allow-incomplete`): one prefix, so every reader finds those notes and shows them first.
 */
const PREFIX = 'INCOMPLETE INPUT: ';

export function incompleteNote(reason: string): string {
  return `${PREFIX}${reason}`;
}

export function isIncompleteNote(note: string): boolean {
  return note.startsWith(PREFIX);
}
