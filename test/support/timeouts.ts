/**
 * The app's network timeout in tests where the timeout is not the behaviour under test:
 * longer than jest lets a test run (testTimeout, 30 s), so it never fires, however busy the
 * machine. A short one there made a slow machine look like a slow Metabase (a time-out and a
 * retry the test did not expect). Tests of timeouts set their own short one, against a fake
 * that answers later than the test may run.
 */
export const TIMEOUT_NOT_UNDER_TEST_MS = 60_000;
