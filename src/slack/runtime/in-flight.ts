/**
 * Tracks listener runs that continue after their ack (Bolt answers Slack on ack; the work
 * goes on), so a graceful stop can wait for them before the database closes.
 */
export class InFlightWork {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = () => this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when every tracked run has settled, runs started meanwhile included. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /** Resolves when every tracked run has settled, or after `timeoutMs` (returns false then). */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const settled = this.idle().then(() => true as const);
    const done = await Promise.race([settled, timeout]);
    clearTimeout(timer);
    return done;
  }
}
