/**
 * One value at a time from a producer that must keep running (a transaction's callback) to a
 * consumer that pulls (an async generator): `put` waits until the consumer has taken the
 * value, so what waits between them is one value, and says false once the consumer has left,
 * so the producer can stop.
 */
export class Handoff<T> {
  private readonly values: T[] = [];
  private ended = false;
  private failure: { error: unknown } | null = null;
  private left = false;
  private wakeTaker: (() => void) | null = null;
  private wakePutter: (() => void) | null = null;

  /** Offers `value`; resolves true once taken, false if the consumer has left. */
  async put(value: T): Promise<boolean> {
    if (this.left) return false;
    this.values.push(value);
    this.wake('taker');
    while (!this.left && this.values.length > 0) {
      await new Promise<void>((resolve) => {
        this.wakePutter = resolve;
      });
    }
    return !this.left;
  }

  /** The producer is done: `take` answers done once the values are taken. */
  end(): void {
    this.ended = true;
    this.wake('taker');
  }

  /** The producer failed: `take` throws `error` once the values are taken. */
  fail(error: unknown): void {
    this.failure ??= { error };
    this.wake('taker');
  }

  /** The next value, or done; throws the producer's failure. */
  async take(): Promise<IteratorResult<T, undefined>> {
    for (;;) {
      if (this.values.length > 0) {
        const value = this.values.shift()!;
        this.wake('putter');
        return { done: false, value };
      }
      if (this.failure) throw this.failure.error;
      if (this.ended) return { done: true, value: undefined };
      await new Promise<void>((resolve) => {
        this.wakeTaker = resolve;
      });
    }
  }

  /** The consumer stops taking: a waiting or later `put` answers false. */
  leave(): void {
    this.left = true;
    this.values.length = 0;
    this.wake('putter');
  }

  private wake(who: 'taker' | 'putter'): void {
    const wake = who === 'taker' ? this.wakeTaker : this.wakePutter;
    if (who === 'taker') this.wakeTaker = null;
    else this.wakePutter = null;
    wake?.();
  }
}
