/**
 * A base URL as it may be recorded in manifests and cache keys: user-info and query strings are
 * dropped because some gateways carry keys there (https://key@host, ?api_key=...).
 */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '[invalid url]';
  }
}
