import { divideRoundHalfAwayFromZero } from '../common/money';
import type { FactorPermille } from '../common/setting-schemas';
import { localDateTimeOf } from '../common/zoned-time';

/**
 * A customer's order rhythm. From the first and the last order (across every currency) and
 * the number of orders, a customer with at least three orders has a usual interval between
 * orders; the next order is expected one interval after the last. Measured against the
 * reader's "today" (their time zone):
 * - due: today is past the expected date;
 * - overdue: past last order + overdue factor × interval (1.5 by default);
 * - at risk: past last order + at-risk factor × interval (2 by default).
 *
 * Everything is integer arithmetic (epoch milliseconds, factors in thousandths), so SQL on
 * either database and this code agree to the millisecond.
 */

/** Fewer orders than this give no rhythm: two orders are one gap, not a habit. */
export const MIN_RHYTHM_ORDERS = 3;

export interface OrderRhythm {
  /** The usual interval between two orders, in ms (half-up to the millisecond). */
  intervalMs: bigint;
  /** When the next order is expected: last order + interval, epoch ms. */
  nextMs: bigint;
}

/** The rhythm of a customer, or null when it cannot be told (too few orders, no first order, one day of orders). */
export function orderRhythm(
  firstOrderAt: Date | null,
  lastOrderAt: Date | null,
  orderCount: number,
): OrderRhythm | null {
  if (!firstOrderAt || !lastOrderAt || orderCount < MIN_RHYTHM_ORDERS) return null;
  const first = BigInt(firstOrderAt.getTime());
  const last = BigInt(lastOrderAt.getTime());
  if (last <= first) return null;
  const intervalMs = divideRoundHalfAwayFromZero(last - first, BigInt(orderCount - 1));
  return { intervalMs, nextMs: last + intervalMs };
}

export type RhythmState = 'on_track' | 'due' | 'overdue' | 'at_risk';

/**
 * Whether `last + factor × interval` lies before `startOfTodayMs` (the reader's local
 * midnight): its local date is then before today. With next = last + interval, that is
 * next × 1000 + (factor − 1000) × interval < start × 1000, the comparison SQL makes too.
 */
export function isPast(rhythm: OrderRhythm, factorPermille: bigint, startOfTodayMs: bigint): boolean {
  return rhythm.nextMs * 1000n + (factorPermille - 1000n) * rhythm.intervalMs < startOfTodayMs * 1000n;
}

export function rhythmState(rhythm: OrderRhythm, factors: FactorPermille, startOfTodayMs: bigint): RhythmState {
  if (isPast(rhythm, factors.atRisk, startOfTodayMs)) return 'at_risk';
  if (isPast(rhythm, factors.overdue, startOfTodayMs)) return 'overdue';
  if (isPast(rhythm, 1000n, startOfTodayMs)) return 'due';
  return 'on_track';
}

/**
 * The value at risk of a customer: its usual order value, lifetime USD cents over the
 * number of orders, half-up to the cent. Null without orders.
 */
export function usualOrderValue(lifetimeUsdCents: bigint, orderCount: number): bigint | null {
  if (orderCount <= 0) return null;
  return divideRoundHalfAwayFromZero(lifetimeUsdCents, BigInt(orderCount));
}

/** The expected date (the instant) of the next order. */
export function expectedAt(rhythm: OrderRhythm): Date {
  return new Date(Number(rhythm.nextMs));
}

/** Whole days from the expected date to today, for "3 days late" (0 on the day itself). */
export function daysLate(rhythm: OrderRhythm, now: Date, timeZone: string): number {
  return localDateTimeOf(now, timeZone).day - localDateTimeOf(expectedAt(rhythm), timeZone).day;
}
