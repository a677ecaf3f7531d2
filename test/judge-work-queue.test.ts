import { describe, expect, it } from 'vitest';
import { BoundedWorkQueue } from '../src/stages/judge/bounded-work-queue.js';

/** A job the test finishes by hand. */
function gate() {
  let open!: () => void;
  const done = new Promise<void>((r) => {
    open = r;
  });
  return { done, open };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('BoundedWorkQueue (the judge pipeline under a run)', () => {
  it('runs at most `concurrency` items, accepts as many more waiting, then holds submitters back in arrival order', async () => {
    const gates = new Map<number, ReturnType<typeof gate>>();
    const started: number[] = [];
    const q = new BoundedWorkQueue<number>(2, async (n) => {
      started.push(n);
      const g = gate();
      gates.set(n, g);
      await g.done;
    });
    const accepted: number[] = [];
    const submits = Array.from({ length: 7 }, (_, n) => q.submit(n).then(() => accepted.push(n)));
    await tick();
    expect(started).toEqual([0, 1]);
    expect(accepted).toEqual([0, 1, 2, 3]); // 2 running + 2 waiting to start
    gates.get(0)?.open();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    expect(accepted).toEqual([0, 1, 2, 3, 4]); // one finished: exactly one more submitter let in
    for (let n = 1; n < 7; n++) {
      await tick();
      gates.get(n)?.open();
    }
    await q.drain();
    await Promise.all(submits);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(accepted).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('with thousands of submitters waiting, each finished item admits exactly one of them', async () => {
    let release: (() => void)[] = [];
    const q = new BoundedWorkQueue<number>(4, () => new Promise<void>((r) => release.push(r)));
    let accepted = 0;
    const all = Array.from({ length: 5000 }, (_, n) => q.submit(n).then(() => accepted++));
    await tick();
    expect(accepted).toBe(8);
    for (let round = 0; round < 50; round++) {
      const batch = release;
      release = [];
      batch[0]?.();
      await tick();
      expect(accepted).toBe(9 + round);
      for (const r of batch.slice(1)) release.push(r);
    }
    while (accepted < 5000 || release.length > 0) {
      const batch = release;
      release = [];
      for (const r of batch) r();
      await tick();
    }
    await q.drain();
    await Promise.all(all);
    expect(accepted).toBe(5000);
  });
});
