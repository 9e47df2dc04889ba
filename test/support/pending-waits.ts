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
