/**
 * The only escaping functions the HTML report uses. Every piece of model, user, judge or config
 * text goes through one of them; the browser test renders hostile transcripts to prove it.
 */
const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for HTML element content and for quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * JSON for an inline <script type="application/json"> block. `<`, `>`, `&` and the JS line
 * separators become \u escapes, so no `</script>` or `<!--` can end or confuse the block.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Escapes text for a GitHub-flavoured Markdown table cell or inline text: no HTML, no table breaks. */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/\r?\n/g, ' ')
      .replace(/&/g, '&amp;')
      // Enough to stop emphasis, code, links/images (no '[' survives), raw HTML and table breaks.
      .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
  );
}
