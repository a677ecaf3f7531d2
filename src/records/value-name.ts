/**
 * The identity of a value name everywhere a name is stored or compared: judgments, profiles, the
 * watch list and gate rules. Lower case; runs of spaces, underscores and hyphens become one space;
 * no surrounding quotes or punctuation. So "Honesty", " honesty." and "self_determination" /
 * "self-determination" name the same value.
 *
 * The taxonomy's `matchKey` (taxonomy/normalize.ts) is a looser key used only to look a name up in
 * the tree (Unicode compatibility forms, apostrophes and inner punctuation dropped); it is never
 * stored, so what a report shows is always this normalised name or the tree's own leaf name.
 */
export function normaliseValueName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .replace(/^[\s"'.,;:!?]+|[\s"'.,;:!?]+$/g, '')
    .trim();
}
