import type { FollowUpKind } from '../../common/choices';
import { MAX_FOLLOW_UP_MESSAGE_LENGTH } from '../../common/limits';
import {
  formatLocalDate,
  formatTimeOfDay,
  localDateTimeOf,
  parseLocalDate,
  parseTimeOfDay,
} from '../../common/zoned-time';
import { type FollowUpSchedule, isFollowUpKind, nextOccurrenceAfter } from './schedule';

/** What the follow-up modal collects, as typed (strings; missing = null). */
export interface FollowUpForm {
  message: string | null;
  kind: string | null;
  /** once: the date; recurring: the start date ("YYYY-MM-DD"). */
  date: string | null;
  time: string | null;
  interval: string | null;
  weekday: string | null;
  dayOfMonth: string | null;
}

export type FollowUpFormField = keyof FollowUpForm;

const MAX_INTERVAL: Record<'every_days' | 'every_weeks', number> = { every_days: 365, every_weeks: 52 };

export type ValidatedFollowUp =
  | { ok: true; message: string; schedule: FollowUpSchedule & { kind: FollowUpKind }; firstDueAt: Date }
  | { ok: false; errors: Partial<Record<FollowUpFormField, string>> };

function wholeNumber(text: string | null, min: number, max: number): number | null | 'bad' {
  const t = (text ?? '').trim();
  if (!t) return null;
  if (!/^\d+$/.test(t)) return 'bad';
  const n = Number(t);
  return n >= min && n <= max ? n : 'bad';
}

/**
 * Checks a follow-up form against the owner's time zone and the current time. Every
 * problem is reported on its own field, so the modal can show them all at once.
 */
export function validateFollowUpForm(form: FollowUpForm, timeZone: string, now: Date): ValidatedFollowUp {
  const errors: Partial<Record<FollowUpFormField, string>> = {};
  const message = (form.message ?? '').trim();
  if (!message) errors.message = 'Write what to follow up on, e.g. “Call about the trial order”.';
  else if (message.length > MAX_FOLLOW_UP_MESSAGE_LENGTH)
    errors.message = `Keep the message under ${MAX_FOLLOW_UP_MESSAGE_LENGTH} characters.`;

  const kind = (form.kind ?? '').trim();
  if (!isFollowUpKind(kind)) errors.kind = 'Choose how often to remind.';

  const minutes = parseTimeOfDay(form.time);
  if (minutes === null)
    errors.time = form.time?.trim() ? 'Enter a time as HH:MM (24 h), e.g. 09:30.' : 'Choose a time.';

  const day = parseLocalDate(form.date);
  if (day === null) errors.date = form.date?.trim() ? 'Enter a date as YYYY-MM-DD.' : 'Choose a date.';

  let interval: number | null = null;
  let weekday: number | null = null;
  let dayOfMonth: number | null = null;
  if (kind === 'every_days' || kind === 'every_weeks') {
    const n = wholeNumber(form.interval, 1, MAX_INTERVAL[kind]);
    const unit = kind === 'every_days' ? 'days' : 'weeks';
    if (n === null) errors.interval = `Enter how many ${unit} between reminders.`;
    else if (n === 'bad') errors.interval = `Enter a whole number of ${unit} from 1 to ${MAX_INTERVAL[kind]}.`;
    else interval = n;
  } else if (kind === 'weekly') {
    const n = wholeNumber(form.weekday, 1, 7);
    if (n === null || n === 'bad') errors.weekday = 'Choose the weekday to remind on.';
    else weekday = n;
  } else if (kind === 'monthly') {
    const n = wholeNumber(form.dayOfMonth, 1, 31);
    if (n === null) errors.dayOfMonth = 'Enter the day of the month to remind on (1–31).';
    else if (n === 'bad')
      errors.dayOfMonth = 'Enter a day of the month from 1 to 31 (31 means the last day in shorter months).';
    else dayOfMonth = n;
  }

  if (Object.keys(errors).length || day === null || minutes === null || !isFollowUpKind(kind))
    return { ok: false, errors };

  const schedule = {
    kind,
    interval,
    weekday,
    dayOfMonth,
    timeOfDay: formatTimeOfDay(minutes),
    timeZone,
    startDate: formatLocalDate(day),
  };
  if (kind === 'once') {
    const today = localDateTimeOf(now, timeZone).day;
    const at = nextOccurrenceAfter(schedule, now);
    if (day < today)
      return {
        ok: false,
        errors: { date: `That date is in the past (today is ${formatLocalDate(today)} in ${timeZone}).` },
      };
    if (!at)
      return { ok: false, errors: { time: `That time has already passed today in ${timeZone}. Choose a later time.` } };
    return { ok: true, message, schedule, firstDueAt: at };
  }
  // A recurring start date may lie in the past (an edited follow-up keeps its anchor); the first due time is still in the future.
  return { ok: true, message, schedule, firstDueAt: nextOccurrenceAfter(schedule, now)! };
}
