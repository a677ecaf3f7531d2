import PQueue from 'p-queue';

/**
 * Runs `work` on submitted items, at most `concurrency` at once, with back-pressure: a submit
 * resolves as soon as its item has a place (running, or one of `concurrency` waiting to start);
 * beyond that, submitters wait in arrival order and are admitted one by one as items start.
 *
 * Why not `while (busy) await Promise.race(inFlight)`: with thousands of submitters waiting, every
 * completion woke all of them and each race attached a new reaction to every in-flight promise,
 * so judging during a run grew quadratically in time and memory. Here a completion admits the
 * head of the line in O(1) and nothing else wakes.
 */
export class BoundedWorkQueue<T> {
  private readonly queue: PQueue;
  private readonly waiting: { item: T; admit: () => void }[] = [];
  private head = 0;

  constructor(
    private readonly concurrency: number,
    private readonly work: (item: T) => Promise<void>,
  ) {
    this.queue = new PQueue({ concurrency });
    // 'active' fires each time a queued item starts, which frees one waiting place.
    this.queue.on('active', () => this.admitWaiting());
  }

  /** Resolves once the item is accepted; `work` must not throw (report failures through its own channel). */
  submit(item: T): Promise<void> {
    if (this.head === this.waiting.length && this.queue.size < this.concurrency) {
      this.start(item);
      return Promise.resolve();
    }
    return new Promise<void>((admit) => this.waiting.push({ item, admit }));
  }

  /** Waits until every submitted item has been worked on. */
  async drain(): Promise<void> {
    for (;;) {
      this.admitWaiting();
      if (this.head === this.waiting.length && this.queue.size === 0 && this.queue.pending === 0) return;
      await this.queue.onIdle();
    }
  }

  private start(item: T): void {
    void this.queue.add(() => this.work(item));
  }

  private admitWaiting(): void {
    while (this.head < this.waiting.length && this.queue.size < this.concurrency) {
      const next = this.waiting[this.head]!;
      this.waiting[this.head++] = undefined as never;
      this.start(next.item);
      next.admit();
    }
    // Drop the admitted prefix now and then so the array does not keep growing over a long run.
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
  }
}
