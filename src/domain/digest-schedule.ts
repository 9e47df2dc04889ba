import {
  type DayNumber,
  formatLocalDate,
  isoWeekdayOf,
  localDateTimeOf,
  MS_PER_DAY,
  parseTimeOfDay,
  zonedToInstant,
} from '../common/zoned-time';
import type { DigestSchedule } from './settings';

/**
 * When digests are due. A digest belongs to a period named by the local date of its
 * scheduled time ("daily:2026-11-25", "weekly:2026-11-23"), so it is posted once per period
 * even if several instances check, or the schedule's time is edited on the day.
 */

/** A digest delayed (downtime, a failed post) is still sent up to this late; after that it is stale news and skipped. */
export const DIGEST_CATCH_UP_MS = 2 * 60 * 60 * 1000;

export interface DigestPeriod {
  /** Unique per period: the DigestRun key. */
  periodKey: string;
  /** The scheduled time this digest stands for (end of the period it covers). */
  occurrenceAt: Date;
  /** Start of the covered period: the previous scheduled time. */
  from: Date;
  /** End of the covered period. */
  to: Date;
}

function occurrenceOn(day: DayNumber, schedule: DigestSchedule): Date {
  return zonedToInstant(day, parseTimeOfDay(schedule.time)!, schedule.timeZone);
}

/** The latest scheduled time at or before `now`, and the period it closes. */
export function latestDigestPeriod(schedule: DigestSchedule, now: Date): DigestPeriod {
  const today = localDateTimeOf(now, schedule.timeZone).day;
  const step = schedule.frequency === 'daily' ? 1 : 7;
  let day = schedule.frequency === 'daily' ? today : today - ((isoWeekdayOf(today) - schedule.weekday + 7) % 7);
  if (occurrenceOn(day, schedule).getTime() > now.getTime()) day -= step;
  const occurrenceAt = occurrenceOn(day, schedule);
  return {
    periodKey: `${schedule.frequency}:${formatLocalDate(day)}`,
    occurrenceAt,
    from: occurrenceOn(day - step, schedule),
    to: occurrenceAt,
  };
}

/** The period whose digest should go out now, or null when none is due (not yet, or too late). */
export function dueDigestPeriod(
  schedule: DigestSchedule,
  now: Date,
  catchUpMs = DIGEST_CATCH_UP_MS,
): DigestPeriod | null {
  const period = latestDigestPeriod(schedule, now);
  const late = now.getTime() - period.occurrenceAt.getTime();
  return late >= 0 && late <= catchUpMs ? period : null;
}

/** For a preview: a period as long as the schedule's (a day or a week) ending now. */
export function trailingDigestPeriod(schedule: DigestSchedule, now: Date): DigestPeriod {
  const lengthMs = (schedule.frequency === 'daily' ? 1 : 7) * MS_PER_DAY;
  return { periodKey: 'preview', occurrenceAt: now, from: new Date(now.getTime() - lengthMs), to: now };
}
