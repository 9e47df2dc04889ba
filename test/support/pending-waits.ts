/**
 * The fakes' waits (`FakeSlack.waitFor` and the helpers built on it) have no deadline of
 * their own: a test waits for an event, not for a time budget that a busy machine may
 * overrun, and jest's testTimeout is the only bound. So that a test that never sees its
 * event still says what it was waiting for, each wait registers here; after every test
 * (wait-report.ts) the waits still pending are abandoned (they reject, so the test's
 * clean-up runs) and reported as the test's error.
 */
export interface PendingWait {
  /** What is awaited and what had happened so far. */
  describe(): string;
  /** The test is over: stop looking. */
  abandon(): void;
}

const pending = new Set<PendingWait>();

/** Registers a wait; call the returned function when it ends. */
export function trackWait(wait: PendingWait): () => void {
  pending.add(wait);
  return () => pending.delete(wait);
}

/** Abandons every pending wait and says what each was waiting for. */
export function abandonPendingWaits(): string[] {
  const described = [...pending].map((w) => {
    w.abandon();
    return w.describe();
  });
  pending.clear();
  return described;
}
