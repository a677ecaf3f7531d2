/**
 * How a run says its answers are synthetic: the local test server ends every chat answer with
 * SYNTHETIC_ANSWER_MARKER, the run records SYNTHETIC_NOTE in its manifest when it sees one, and
 * reports, PNG titles and the gate's step summary carry a SYNTHETIC banner for such runs. One owner,
 * so the server, the run and the report cannot disagree on the spelling.
 */
export const SYNTHETIC_ANSWER_MARKER = '[synthetic answer from the valuescope local server]';

export const SYNTHETIC_NOTE = 'synthetic: answers from the valuescope local test server, not from a real model';

export function isSyntheticAnswer(text: string): boolean {
  return text.includes(SYNTHETIC_ANSWER_MARKER);
}

export function isSyntheticManifest(notes: readonly string[] | undefined): boolean {
  return (notes ?? []).some((n) => n.startsWith('synthetic:'));
}
