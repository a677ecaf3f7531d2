import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Announces the full body, sends half of it, then kills the socket: a connection dropped mid-response. */
export function dropMidBody(res: ServerResponse, body: unknown, headers: Record<string, string>): void {
  const buf = Buffer.from(JSON.stringify(body));
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': buf.length, ...headers });
  res.write(buf.subarray(0, buf.length >> 1), () => res.socket?.destroy());
}
