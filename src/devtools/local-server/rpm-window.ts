/**
 * Sliding 60-second window of accepted requests per model name. `admit` returns 0 when the request
 * fits, else the milliseconds until the oldest request leaves the window.
 */
export class RpmWindow {
  private readonly times = new Map<string, number[]>();
  constructor(private readonly now: () => number) {}

  admit(key: string, rpm: number): number {
    const t = this.now();
    let q = this.times.get(key);
    if (!q) {
      q = [];
      this.times.set(key, q);
    }
    let drop = 0;
    while (drop < q.length && q[drop]! <= t - 60_000) drop++;
    if (drop) q.splice(0, drop);
    if (q.length < rpm) {
      q.push(t);
      return 0;
    }
    return Math.max(1, q[0]! + 60_000 - t);
  }

  clear(): void {
    this.times.clear();
  }
}
