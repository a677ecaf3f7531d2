/**
 * A name as it appears in chart file names and page anchors: lower case, every run of other
 * characters one hyphen, no hyphen at either end, at most 60 characters. Case, punctuation and
 * anything past 60 characters are lost, so config loading refuses two targets with one slug.
 */
export function fileSlug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'x'
  );
}
