/**
 * Removes secrets from text before any byte of it is written: transcripts, judgments, caches,
 * stdout and stderr. Servers and proxies echo keys (in error bodies, request ids, even answers) and
 * SDK errors quote URLs with their passwords; none of that may reach a file or a log.
 */
export class SecretScrubber {
  private readonly pattern: RegExp | null;

  /** Values shorter than 8 characters are ignored: they would mangle ordinary text and are not real keys. */
  constructor(secrets: Iterable<string>) {
    const forms = new Set<string>();
    for (const raw of secrets) {
      const s = raw.trim();
      if (s.length < 8) continue;
      forms.add(s);
      // The same value as it appears inside a URL or a JSON string.
      forms.add(encodeURIComponent(s));
      forms.add(JSON.stringify(s).slice(1, -1));
    }
    const sorted = [...forms].sort((a, b) => b.length - a.length);
    this.pattern = sorted.length === 0 ? null : new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
  }

  get active(): boolean {
    return this.pattern !== null;
  }

  scrub(text: string): string {
    if (this.pattern === null) return text;
    this.pattern.lastIndex = 0;
    return this.pattern.test(text) ? text.replace(this.pattern, '[redacted]') : text;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
