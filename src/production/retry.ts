import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryPolicy {
  /** Total tries, the first included. */
  maxAttempts: number;
  /** Delay before the 2nd try; doubles for each further try. */
  baseDelayMs: number;
  /** No single wait is longer than this. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 300, maxDelayMs: 3000 };

/**
 * Wait before try number `attempt + 1` (attempt is 1-based): exponential, capped, with
 * jitter between 50% and 100% so several instances hitting the same outage spread out.
 */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential * (0.5 + random() / 2));
}

/**
 * Runs `task` until it succeeds, `shouldRetry` says no, or the tries are used up; the
 * last error is thrown. `onRetry` sees each failure that will be retried (for logging).
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  task: (attempt: number) => Promise<T>,
  shouldRetry: (err: unknown) => boolean,
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (err) {
      if (attempt >= policy.maxAttempts || !shouldRetry(err)) throw err;
      const delayMs = backoffDelayMs(policy, attempt);
      onRetry?.(err, attempt, delayMs);
      await sleep(delayMs);
    }
  }
}
