/**
 * The batch ids one process knows, shared by all its batch engines (every model's and the judge's).
 * Looking up a batch lost in a failed submit (lost-batch.ts) must not take another engine's batch
 * for it: on Anthropic, batches are told apart only by creation time and size, and two models of one
 * run submit batches of the same size in the same second. So every engine registers the ids it
 * gets, a lookup first waits for every submit still in flight in this process, and it skips all
 * registered and journaled ids.
 */
export class BatchRegistry {
  private readonly ids = new Set<string>();
  private readonly submitting = new Set<Promise<unknown>>();

  add(...ids: readonly string[]): void {
    for (const id of ids) this.ids.add(id);
  }

  /** Tracks one submit: its id is registered the moment it is known. */
  submit(call: Promise<{ id: string }>): Promise<{ id: string }> {
    const tracked = call.then((r) => {
      this.add(r.id);
      return r;
    });
    this.submitting.add(tracked);
    const done = (): void => void this.submitting.delete(tracked);
    tracked.then(done, done);
    return tracked;
  }

  /** The known ids once every other submit in flight has settled (`own` is the caller's, already failed). */
  async settledIds(own?: Promise<unknown>): Promise<ReadonlySet<string>> {
    await Promise.allSettled([...this.submitting].filter((p) => p !== own));
    return this.ids;
  }
}
