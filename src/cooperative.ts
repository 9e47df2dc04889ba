/**
 * Long CPU work that shares the one event loop with Slack requests. The lead sync parses,
 * compares and writes tens of thousands of rows; on SQLite every query runs synchronously
 * (better-sqlite3), so an `await` on it resumes through microtasks only and never lets the
 * loop turn. Without explicit yields, a 50,000-customer sync holds the loop for seconds and
 * every Home publish waiting behind it (Home is published at once on open) waits that long.
 *
 * `yieldToEventLoop()` is a macrotask turn (setImmediate): pending I/O callbacks, timers and
 * the microtasks they start all run before the work resumes. `TimeSlicer` yields only when
 * its slice is used up, so a loop can ask per row (`if (slicer.due()) await slicer.yield()`)
 * at the cost of reading the clock.
 */

/** Lets pending I/O and timers run before continuing. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Longest stretch, in ms, that sliced work runs before letting the event loop turn. */
export const DEFAULT_SLICE_MS = 10;

export class TimeSlicer {
  private sliceStart = performance.now();

  constructor(private readonly sliceMs: number = DEFAULT_SLICE_MS) {}

  /** True once the current slice has run for `sliceMs`. */
  due(): boolean {
    return performance.now() - this.sliceStart >= this.sliceMs;
  }

  /** Yields to the event loop and starts a new slice. */
  async yield(): Promise<void> {
    await yieldToEventLoop();
    this.sliceStart = performance.now();
  }

  /** Yields if the slice is used up. */
  async yieldIfDue(): Promise<void> {
    if (this.due()) await this.yield();
  }
}
