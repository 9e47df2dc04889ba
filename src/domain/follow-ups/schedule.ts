import { FOLLOW_UP_KINDS, type FollowUpKind } from '../../common/choices';
import {
  type DayNumber,
  dayOf,
  dayParts,
  daysInMonth,
  formatTimeOfDay,
  isoWeekdayOf,
  localDateTimeOf,
  parseLocalDate,
  parseTimeOfDay,
  WEEKDAY_NAMES,
  zonedToInstant,
} from '../../common/zoned-time';

/**
 * When a follow-up falls due. Occurrences are computed from the schedule alone (start
 * date, time of day, zone), never from when the last one was sent, so they never drift.
 */

export function isFollowUpKind(value: string): value is FollowUpKind {
  return (FOLLOW_UP_KINDS as readonly string[]).includes(value);
}

/** The schedule columns of FollowUpAlert; a row fits this type as it is. */
export interface FollowUpSchedule {
  kind: string;
  /** every_days / every_weeks: N. */
  interval?: number | null;
  /** weekly: ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday?: number | null;
  /** monthly: 1–31, clamped to the month's last day (31 -> 28/29 Feb, 30 Apr). */
  dayOfMonth?: number | null;
  /** Local "HH:MM" in timeZone. */
  timeOfDay: string;
  timeZone: string;
  /** once: the date; recurring: the first possible date. "YYYY-MM-DD". */
  startDate: string;
}

export class InvalidScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidScheduleError';
  }
}

/** Local dates the schedule fires on, from `fromDay` on (never before the start date). */
function* candidateDays(s: FollowUpSchedule, start: DayNumber, fromDay: DayNumber): Generator<DayNumber> {
  const from = Math.max(start, fromDay);
  switch (s.kind) {
    case 'once':
      if (start >= fromDay) yield start;
      return;
    case 'every_days':
    case 'every_weeks': {
      const step = (s.interval ?? 0) * (s.kind === 'every_weeks' ? 7 : 1);
      if (!(step >= 1)) throw new InvalidScheduleError(`${s.kind} needs an interval of at least 1`);
      const k = Math.ceil((from - start) / step);
      for (let d = start + k * step; ; d += step) yield d;
    }
    case 'weekly': {
      const w = s.weekday ?? 0;
      if (!(w >= 1 && w <= 7)) throw new InvalidScheduleError('weekly needs a weekday 1–7');
      for (let d = from + ((w - isoWeekdayOf(from) + 7) % 7); ; d += 7) yield d;
    }
    case 'monthly': {
      const dom = s.dayOfMonth ?? 0;
      if (!(dom >= 1 && dom <= 31)) throw new InvalidScheduleError('monthly needs a day of month 1–31');
      let { year, month } = dayParts(from);
      for (;;) {
        const d = dayOf(year, month, Math.min(dom, daysInMonth(year, month)));
        if (d >= start) yield d;
        month += 1;
        if (month > 12) {
          month = 1;
          year += 1;
        }
      }
    }
    default:
      throw new InvalidScheduleError(`unknown follow-up kind ${s.kind}`);
  }
}

function parsed(s: FollowUpSchedule): { start: DayNumber; minutes: number } {
  const start = parseLocalDate(s.startDate);
  const minutes = parseTimeOfDay(s.timeOfDay);
  if (start === null) throw new InvalidScheduleError(`bad start date ${s.startDate}`);
  if (minutes === null) throw new InvalidScheduleError(`bad time of day ${s.timeOfDay}`);
  return { start, minutes };
}

/** The first occurrence strictly after `after`, or null when there is none (a one-off that has passed). */
export function nextOccurrenceAfter(s: FollowUpSchedule, after: Date): Date | null {
  const { start, minutes } = parsed(s);
  // The local day before `after` is early enough: nothing on it can fall after `after`
  // by more than a DST shift, and the check below discards what does not.
  const fromDay = localDateTimeOf(after, s.timeZone).day - 1;
  let guard = 0;
  for (const day of candidateDays(s, start, fromDay)) {
    const at = zonedToInstant(day, minutes, s.timeZone);
    if (at.getTime() > after.getTime()) return at;
    if (++guard > 1000) break;
  }
  return null;
}

/** Occurrences in (from, to], at most `limit` (to say how many reminders were missed). */
export function countOccurrencesBetween(s: FollowUpSchedule, from: Date, to: Date, limit = 100): number {
  let count = 0;
  let cursor: Date | null = nextOccurrenceAfter(s, from);
  while (count < limit && cursor && cursor.getTime() <= to.getTime()) {
    count += 1;
    cursor = nextOccurrenceAfter(s, cursor);
  }
  return count;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Tue 3 Mar 2026": the same text whatever the ICU data of the runtime. */
export function formatDayLabel(day: DayNumber): string {
  const p = dayParts(day);
  return `${WEEKDAY_NAMES[isoWeekdayOf(day) - 1]!.slice(0, 3)} ${p.day} ${MONTHS[p.month - 1]} ${p.year}`;
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}

/** "Every 2 weeks at 09:00", "Monthly on the 31st (or the month's last day) at 17:30"… without the zone. */
export function describeSchedule(s: FollowUpSchedule): string {
  const time = formatTimeOfDay(parseTimeOfDay(s.timeOfDay) ?? 0);
  const n = s.interval ?? 1;
  switch (s.kind) {
    case 'once': {
      const day = parseLocalDate(s.startDate);
      return `Once on ${day === null ? s.startDate : formatDayLabel(day)} at ${time}`;
    }
    case 'every_days':
      return n === 1 ? `Every day at ${time}` : `Every ${n} days at ${time}`;
    case 'every_weeks':
      return n === 1 ? `Every week at ${time}` : `Every ${n} weeks at ${time}`;
    case 'weekly':
      return `Every ${WEEKDAY_NAMES[(s.weekday ?? 1) - 1] ?? '?'} at ${time}`;
    case 'monthly': {
      const dom = s.dayOfMonth ?? 1;
      return `Monthly on the ${ordinal(dom)}${dom > 28 ? ' (or the month’s last day)' : ''} at ${time}`;
    }
    default:
      return s.kind;
  }
}
