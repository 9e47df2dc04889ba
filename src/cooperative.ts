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

/**
 * Longest a yield of background work waits for foreground work to finish. Bounded, so a
 * steady stream of Home opens slows the sync down but never stops it.
 */
export const MAX_DEFER_MS = 250;

let foregroundInFlight = 0;

/**
 * Runs work someone is waiting for (a Home publish) ahead of sliced background work: while
 * any is in flight, a TimeSlicer yield waits (up to MAX_DEFER_MS) instead of resuming at the
 * next turn. The process has one thread; the sync that the first of fifty Home opens starts
 * would otherwise take its share of it from the other forty-nine.
 */
export async function asForeground<T>(work: () => Promise<T>): Promise<T> {
  foregroundInFlight += 1;
  try {
    return await work();
  } finally {
    foregroundInFlight -= 1;
  }
}

/** Foreground work in flight (see asForeground). */
export function foregroundPending(): number {
  return foregroundInFlight;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class TimeSlicer {
  private sliceStart = performance.now();

  constructor(private readonly sliceMs: number = DEFAULT_SLICE_MS) {}

  /** True once the current slice has run for `sliceMs`. */
  due(): boolean {
    return performance.now() - this.sliceStart >= this.sliceMs;
  }

  /** Yields to the event loop (and to foreground work in flight, for a while) and starts a new slice. */
  async yield(): Promise<void> {
    await yieldToEventLoop();
    const until = performance.now() + MAX_DEFER_MS;
    while (foregroundInFlight > 0 && performance.now() < until) await sleep(2);
    this.sliceStart = performance.now();
  }

  /** Yields if the slice is used up. */
  async yieldIfDue(): Promise<void> {
    if (this.due()) await this.yield();
  }
}

type Thunks = readonly (() => PromiseLike<unknown>)[];

/**
 * Starts each piece of work in a turn of the event loop of its own, and waits for them all
 * (still concurrent, like Promise.all). For many queries at once: Prisma prepares each query
 * synchronously on the calling thread before it runs, and thirty started together (a
 * digest's figures) prepare in one block of a couple of hundred milliseconds.
 */
export async function inTurns<const T extends Thunks>(
  work: T,
): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const started: Promise<unknown>[] = [];
  for (const [i, w] of work.entries()) {
    if (i > 0) await yieldToEventLoop();
    const p = Promise.resolve(w());
    // Awaited below with the others; a rejection while later ones start is not unhandled.
    p.catch(() => undefined);
    started.push(p);
  }
  return (await Promise.all(started)) as { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
}
