/**
 * Wall-clock time in IANA time zones using Intl only (no date library), for follow-up
 * schedules and digest schedules alike. Local calendar dates are day numbers (days since
 * 1970-01-01), so calendar arithmetic is integer arithmetic and never touches a time zone.
 */

const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 in the proleptic Gregorian calendar. */
export type DayNumber = number;

export function dayOf(year: number, month: number, day: number): DayNumber {
  return Math.floor(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

export function dayParts(day: DayNumber): { year: number; month: number; day: number } {
  const d = new Date(day * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Indexed by ISO weekday - 1. */
export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekdayOf(day: DayNumber): number {
  const d = new Date(day * MS_PER_DAY).getUTCDay();
  return d === 0 ? 7 : d;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** "YYYY-MM-DD" -> day number, or null when it is not a real calendar date. */
export function parseLocalDate(text: string | null | undefined): DayNumber | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec((text ?? '').trim());
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return dayOf(year, month, day);
}

export function formatLocalDate(day: DayNumber): string {
  const p = dayParts(day);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** "HH:MM" (24 h) -> minutes after midnight, or null when malformed. */
export function parseTimeOfDay(text: string | null | undefined): number | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec((text ?? '').trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function formatTimeOfDay(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Exactly "HH:MM" (24 h, two-digit hour): the form Slack's timepicker gives and accepts back. */
export function isTimeOfDay(text: string): boolean {
  const minutes = parseTimeOfDay(text);
  return minutes !== null && formatTimeOfDay(minutes) === text.trim();
}

export function isValidTimeZone(tz: string | null | undefined): tz is string {
  if (!tz) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** What a wall clock in `timeZone` shows at a whole second, read through Intl (a few µs). */
function wallClockAt(wholeSecondMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(new Date(wholeSecondMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!);
}

/** Offset of `timeZone` from UTC at a whole second, in ms, read through Intl. */
function exactOffsetAt(wholeSecondMs: number, timeZone: string): number {
  return wallClockAt(wholeSecondMs, timeZone) - wholeSecondMs;
}

const MS_PER_HOUR = 3_600_000;
/**
 * Offsets by zone and UTC hour, null for an hour in which the offset changes. A zone's offset
 * is a step function whose steps are months apart (never two within an hour), so an hour
 * whose first and last second have the same offset has it throughout. Home formats a date
 * for every lead line it shows (dates months apart, a few hundred hours in all), each an
 * Intl formatting without this.
 */
const hourOffsets = new Map<string, number | null>();
const MAX_HOUR_OFFSETS = 4_096;

/** Offset of `timeZone` from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(instantMs: number, timeZone: string): number {
  const hourStart = Math.floor(instantMs / MS_PER_HOUR) * MS_PER_HOUR;
  const key = `${timeZone}|${hourStart}`;
  let known = hourOffsets.get(key);
  if (known === undefined) {
    const first = exactOffsetAt(hourStart, timeZone);
    known = first === exactOffsetAt(hourStart + MS_PER_HOUR - 1000, timeZone) ? first : null;
    if (hourOffsets.size >= MAX_HOUR_OFFSETS) hourOffsets.clear();
    hourOffsets.set(key, known);
  }
  return known ?? exactOffsetAt(Math.floor(instantMs / 1000) * 1000, timeZone);
}

/** The local date and minute of the day a wall clock in `timeZone` shows at `instantMs`. */
export function localDateTimeOf(
  instant: Date | number,
  timeZone: string,
): { day: DayNumber; minutes: number; seconds: number } {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const wall = Math.floor(ms / 1000) * 1000 + offsetAt(ms, timeZone);
  const day = Math.floor(wall / MS_PER_DAY);
  const secondOfDay = (wall - day * MS_PER_DAY) / 1000;
  return { day, minutes: Math.floor(secondOfDay / 60), seconds: secondOfDay % 60 };
}

/**
 * The instant a wall clock in `timeZone` reads `minutes` after midnight on `day`.
 * In a DST overlap (the hour that happens twice) the first one wins; in a gap (the hour
 * that never happens) the result is moved forward by the gap, e.g. 02:30 -> 03:30, the
 * way calendar apps treat it.
 */
export function zonedToInstant(day: DayNumber, minutes: number, timeZone: string): Date {
  const naive = day * MS_PER_DAY + minutes * MS_PER_MINUTE;
  // Offsets a day either side bracket any DST change near this wall time.
  const before = offsetAt(naive - MS_PER_DAY, timeZone);
  const after = offsetAt(naive + MS_PER_DAY, timeZone);
  const candidates = [...new Set([naive - before, naive - after])]
    .filter((t) => offsetAt(t, timeZone) === naive - t)
    .sort((a, b) => a - b);
  return new Date(candidates[0] ?? naive - before);
}

/**
 * The local day last asked for in each zone, with its bounds: every Home open and list asks
 * for today's, and every instant from its start to its end has the same answer.
 */
const lastDays = new Map<string, { day: DayNumber; startMs: number; endMs: number }>();

/** The instant today began and the instant it ends for someone in `timeZone` (DST-aware). */
export function localDayBounds(now: Date, timeZone: string): { day: DayNumber; start: Date; end: Date } {
  const at = now.getTime();
  let known = lastDays.get(timeZone);
  if (!known || at < known.startMs || at >= known.endMs) {
    const day = localDateTimeOf(now, timeZone).day;
    known = {
      day,
      startMs: zonedToInstant(day, 0, timeZone).getTime(),
      endMs: zonedToInstant(day + 1, 0, timeZone).getTime(),
    };
    if (lastDays.size >= MAX_HOUR_OFFSETS) lastDays.clear();
    lastDays.set(timeZone, known);
  }
  return { day: known.day, start: new Date(known.startMs), end: new Date(known.endMs) };
}

/** Adds whole local days to an instant, keeping its wall-clock time (DST-aware). */
export function addLocalDays(instant: Date, days: number, timeZone: string): Date {
  const local = localDateTimeOf(instant, timeZone);
  return zonedToInstant(local.day + days, local.minutes, timeZone);
}

const LABEL_FORMATS = {
  /** "Mon 2 Mar 2026, 09:00" */
  long: {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  },
  /** "Mon 2 Mar, 09:00" */
  short: { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

const labelFormatters = new Map<string, Intl.DateTimeFormat>();

function formatLabel(instant: Date, timeZone: string, style: keyof typeof LABEL_FORMATS): string {
  const key = `${style} ${timeZone}`;
  let f = labelFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, ...LABEL_FORMATS[style] });
    labelFormatters.set(key, f);
  }
  return f.format(instant);
}

/** "Mon 2 Mar 2026, 09:00" in `timeZone`: fallback text where Slack's date token is not rendered. */
export function formatInstantIn(instant: Date, timeZone: string): string {
  return formatLabel(instant, timeZone, 'long');
}

/** "Mon 2 Mar, 09:00" in `timeZone`: an instant in a message about recent days (digests, audit lines). */
export function formatShortInstantIn(instant: Date, timeZone: string): string {
  return formatLabel(instant, timeZone, 'short');
}

/** "YYYY-MM-DD": the local date of an instant in `timeZone`. */
export function formatLocalDateOf(instant: Date, timeZone: string): string {
  return formatLocalDate(localDateTimeOf(instant, timeZone).day);
}
