/**
 * The fakes' waits (`FakeSlack.waitFor` and the helpers built on it) have no deadline of
 * their own: a test waits for an event, not for a time budget that a busy machine may
 * overrun, and jest's testTimeout is the only bound. So that a test that never sees its
 * event still says what it was waiting for, each wait registers here; after every test
 * (wait-report.ts) the waits still pending are abandoned (they reject, so the test's
 * clean-up runs) and reported as the test's error. Each wait belongs to the test that started
 * it, so a test running beside others (`it.concurrent`) abandons only its own waits when it
 * ends; a wait started outside a test (in a `beforeAll`) is abandoned when the next test ends.
 */
export interface PendingWait {
  /** What is awaited and what had happened so far. */
  describe(): string;
  /** The test is over: stop looking. */
  abandon(): void;
}

/** The running test, from jest's per-test async context (right for concurrent tests too). */
function currentTest(): unknown {
  const state = (
    globalThis as { expect?: { getState?: () => { currentTestIdentity?: () => unknown } } }
  ).expect?.getState?.();
  return state?.currentTestIdentity?.();
}

const pending = new Map<PendingWait, unknown>();

/** Registers a wait; call the returned function when it ends. */
export function trackWait(wait: PendingWait): () => void {
  pending.set(wait, currentTest());
  return () => pending.delete(wait);
}

/** Abandons the pending waits of the test that is ending, and says what each was waiting for. */
export function abandonPendingWaits(): string[] {
  const test = currentTest();
  const mine = [...pending].filter(([, owner]) => owner === undefined || owner === test).map(([w]) => w);
  return mine.map((w) => {
    pending.delete(w);
    w.abandon();
    return w.describe();
  });
}

/**
 * The waits of one fake, ended by its events: the fake calls `notify()` after every event it
 * records, and `until` resolves with the first value `check` returns (checked at once, on
 * every event, and every 50 ms for state kept elsewhere). A check may throw to end the wait
 * (the fake closed). No deadline of its own: the wait is tracked above, and rejects when its
 * test ends first, so the test's own clean-up (finally blocks) still runs.
 */
export class EventWaits {
  private readonly waiters: Array<() => void> = [];

  notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  async until<T>(check: () => T | undefined, what: string, describe: () => string): Promise<T> {
    let abandoned: Error | null = null;
    const untrack = trackWait({
      describe,
      abandon: () => {
        abandoned = new Error(`the test ended while waiting for ${what}`);
        this.notify();
      },
    });
    try {
      for (;;) {
        const value = check();
        if (value !== undefined) return value;
        if (abandoned) throw abandoned;
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 50);
          this.waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    } finally {
      untrack();
    }
  }
}
