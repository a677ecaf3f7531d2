/**
 * Removes secrets from text that may leave the adapter (error messages, warnings, metadata).
 * Some servers echo the key they rejected; we never trust them not to.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    // Short values (e.g. "x") would mangle ordinary text and are not real keys anyway.
    if (s.length >= 6) out = out.split(s).join('[redacted]');
  }
  return out;
}
