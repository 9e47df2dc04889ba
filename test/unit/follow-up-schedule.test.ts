import { addLocalDays, parseLocalDate, zonedToInstant } from '../../src/common/zoned-time';
import { type FollowUpForm, validateFollowUpForm } from '../../src/domain/follow-ups/follow-up-input';
import {
  countOccurrencesBetween,
  describeSchedule,
  type FollowUpSchedule,
  nextOccurrenceAfter,
} from '../../src/domain/follow-ups/schedule';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The first `n` occurrences after `from`, as ISO strings. */
function occurrences(s: FollowUpSchedule, from: string, n: number): string[] {
  const out: string[] = [];
  let cursor: Date | null = nextOccurrenceAfter(s, new Date(from));
  while (out.length < n && cursor) {
    out.push(cursor.toISOString());
    cursor = nextOccurrenceAfter(s, cursor);
  }
  return out;
}

const base = { interval: null, weekday: null, dayOfMonth: null };

describe('wall-clock time in a zone', () => {
  it.each([
    ['Asia/Dubai (UTC+4)', '2026-03-02', '09:00', 'Asia/Dubai', '2026-03-02T05:00:00.000Z'],
    ['Asia/Kolkata (UTC+5:30)', '2026-03-02', '00:15', 'Asia/Kolkata', '2026-03-01T18:45:00.000Z'],
    ['America/Los_Angeles in winter (UTC-8)', '2026-01-14', '23:30', 'America/Los_Angeles', '2026-01-15T07:30:00.000Z'],
    ['America/Los_Angeles in summer (UTC-7)', '2026-07-14', '23:30', 'America/Los_Angeles', '2026-07-15T06:30:00.000Z'],
    ['New York, the skipped hour moves forward', '2026-03-08', '02:30', 'America/New_York', '2026-03-08T07:30:00.000Z'],
    [
      'New York, the repeated hour takes the first',
      '2026-11-01',
      '01:30',
      'America/New_York',
      '2026-11-01T05:30:00.000Z',
    ],
    ['London on the day BST starts', '2026-03-29', '09:00', 'Europe/London', '2026-03-29T08:00:00.000Z'],
  ])('%s', (_label, date, time, tz, expected) => {
    const [h, m] = time.split(':').map(Number) as [number, number];
    expect(zonedToInstant(parseLocalDate(date)!, h * 60 + m, tz).toISOString()).toBe(expected);
  });

  it('adds local days keeping the wall-clock time across a DST change', () => {
    expect(addLocalDays(new Date('2026-03-07T14:00:00Z'), 1, 'America/New_York').toISOString()).toBe(
      '2026-03-08T13:00:00.000Z',
    );
    expect(addLocalDays(new Date('2026-10-24T08:00:00Z'), 7, 'Europe/London').toISOString()).toBe(
      '2026-10-31T09:00:00.000Z',
    );
  });
});

describe('next occurrence of a follow-up schedule', () => {
  it('a one-off fires once at its local time and never again', () => {
    const s = { ...base, kind: 'once', startDate: '2026-03-03', timeOfDay: '14:45', timeZone: 'Asia/Kolkata' };
    expect(iso(nextOccurrenceAfter(s, new Date('2026-03-01T00:00:00Z')))).toBe('2026-03-03T09:15:00.000Z');
    expect(nextOccurrenceAfter(s, new Date('2026-03-03T09:15:00Z'))).toBeNull();
  });

  it('every N days keeps 09:00 local across the March DST change in New York', () => {
    const s = {
      ...base,
      kind: 'every_days',
      interval: 1,
      startDate: '2026-03-06',
      timeOfDay: '09:00',
      timeZone: 'America/New_York',
    };
    expect(occurrences(s, '2026-03-01T00:00:00Z', 4)).toEqual([
      '2026-03-06T14:00:00.000Z',
      '2026-03-07T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
    ]);
  });

  it('every 3 days counts from the start date, not from when a reminder was sent (no drift)', () => {
    const s = {
      ...base,
      kind: 'every_days',
      interval: 3,
      startDate: '2026-05-01',
      timeOfDay: '08:00',
      timeZone: 'Asia/Dubai',
    };
    // Sent 47 minutes late: the next one is still 3 days after the scheduled time.
    const late = new Date('2026-05-04T04:47:00Z');
    expect(iso(nextOccurrenceAfter(s, late))).toBe('2026-05-07T04:00:00.000Z');
    expect(occurrences(s, '2026-04-01T00:00:00Z', 3)).toEqual([
      '2026-05-01T04:00:00.000Z',
      '2026-05-04T04:00:00.000Z',
      '2026-05-07T04:00:00.000Z',
    ]);
  });

  it('every 2 weeks keeps 10:00 local when British Summer Time ends', () => {
    const s = {
      ...base,
      kind: 'every_weeks',
      interval: 2,
      startDate: '2026-10-18',
      timeOfDay: '10:00',
      timeZone: 'Europe/London',
    };
    expect(occurrences(s, '2026-10-01T00:00:00Z', 3)).toEqual([
      '2026-10-18T09:00:00.000Z',
      '2026-11-01T10:00:00.000Z',
      '2026-11-15T10:00:00.000Z',
    ]);
  });

  it('weekly on a weekday keeps 09:00 local when New York falls back in November', () => {
    const s = {
      ...base,
      kind: 'weekly',
      weekday: 1,
      startDate: '2026-10-20',
      timeOfDay: '09:00',
      timeZone: 'America/New_York',
    };
    // 2026-10-20 is a Tuesday: the first Monday on or after it is 26 October.
    expect(occurrences(s, '2026-10-19T00:00:00Z', 3)).toEqual([
      '2026-10-26T13:00:00.000Z',
      '2026-11-02T14:00:00.000Z',
      '2026-11-09T14:00:00.000Z',
    ]);
  });

  it('monthly on the 31st falls on the last day of shorter months (Jan 31 -> Feb 28 -> Mar 31 -> Apr 30)', () => {
    const s = {
      ...base,
      kind: 'monthly',
      dayOfMonth: 31,
      startDate: '2026-01-01',
      timeOfDay: '09:00',
      timeZone: 'Asia/Dubai',
    };
    expect(occurrences(s, '2026-01-01T00:00:00Z', 4)).toEqual([
      '2026-01-31T05:00:00.000Z',
      '2026-02-28T05:00:00.000Z',
      '2026-03-31T05:00:00.000Z',
      '2026-04-30T05:00:00.000Z',
    ]);
  });

  it('monthly on the 30th uses 29 February in a leap year', () => {
    const s = {
      ...base,
      kind: 'monthly',
      dayOfMonth: 30,
      startDate: '2028-01-15',
      timeOfDay: '12:00',
      timeZone: 'UTC',
    };
    expect(occurrences(s, '2028-01-01T00:00:00Z', 3)).toEqual([
      '2028-01-30T12:00:00.000Z',
      '2028-02-29T12:00:00.000Z',
      '2028-03-30T12:00:00.000Z',
    ]);
  });

  it('monthly across the DST change in Los Angeles keeps the local time', () => {
    const s = {
      ...base,
      kind: 'monthly',
      dayOfMonth: 10,
      startDate: '2026-02-01',
      timeOfDay: '08:30',
      timeZone: 'America/Los_Angeles',
    };
    expect(occurrences(s, '2026-02-01T00:00:00Z', 2)).toEqual(['2026-02-10T16:30:00.000Z', '2026-03-10T15:30:00.000Z']);
  });

  it('uses the local date in a zone behind UTC: 23:30 in Los Angeles is the next UTC day', () => {
    const s = {
      ...base,
      kind: 'every_days',
      interval: 1,
      startDate: '2026-01-01',
      timeOfDay: '23:30',
      timeZone: 'America/Los_Angeles',
    };
    // 2026-01-15T07:00Z is 23:00 on 14 January in Los Angeles.
    expect(iso(nextOccurrenceAfter(s, new Date('2026-01-15T07:00:00Z')))).toBe('2026-01-15T07:30:00.000Z');
  });

  it('uses the local date in a zone ahead of UTC: 00:15 in Kolkata is the previous UTC day', () => {
    const s = {
      ...base,
      kind: 'weekly',
      weekday: 3,
      startDate: '2026-03-01',
      timeOfDay: '00:15',
      timeZone: 'Asia/Kolkata',
    };
    // Wednesday 4 March 00:15 IST = Tuesday 3 March 18:45 UTC.
    expect(iso(nextOccurrenceAfter(s, new Date('2026-03-02T00:00:00Z')))).toBe('2026-03-03T18:45:00.000Z');
  });

  it('does not fire before the start date', () => {
    const s = { ...base, kind: 'weekly', weekday: 5, startDate: '2026-06-20', timeOfDay: '09:00', timeZone: 'UTC' };
    expect(iso(nextOccurrenceAfter(s, new Date('2026-06-01T00:00:00Z')))).toBe('2026-06-26T09:00:00.000Z');
  });

  it('counts the occurrences missed during downtime', () => {
    const s = {
      ...base,
      kind: 'every_days',
      interval: 1,
      startDate: '2026-01-01',
      timeOfDay: '09:00',
      timeZone: 'UTC',
    };
    expect(countOccurrencesBetween(s, new Date('2026-01-01T09:00:00Z'), new Date('2026-01-04T10:00:00Z'))).toBe(3);
  });

  it('rejects a schedule missing its interval rather than looping', () => {
    const s = { ...base, kind: 'every_days', startDate: '2026-01-01', timeOfDay: '09:00', timeZone: 'UTC' };
    expect(() => nextOccurrenceAfter(s, new Date('2026-01-01T00:00:00Z'))).toThrow(/interval/);
  });

  it('describes schedules in words', () => {
    const common = { ...base, startDate: '2026-03-03', timeOfDay: '09:05', timeZone: 'UTC' };
    expect(describeSchedule({ ...common, kind: 'once' })).toBe('Once on Tue 3 Mar 2026 at 09:05');
    expect(describeSchedule({ ...common, kind: 'every_weeks', interval: 2 })).toBe('Every 2 weeks at 09:05');
    expect(describeSchedule({ ...common, kind: 'weekly', weekday: 1 })).toBe('Every Monday at 09:05');
    expect(describeSchedule({ ...common, kind: 'monthly', dayOfMonth: 31 })).toBe(
      'Monthly on the 31st (or the month’s last day) at 09:05',
    );
  });
});

describe('validating the follow-up form', () => {
  const now = new Date('2026-03-02T10:00:00Z'); // 14:00 in Dubai
  const form = (over: Partial<FollowUpForm>): FollowUpForm => ({
    message: 'Call about the trial order',
    kind: 'once',
    date: '2026-03-02',
    time: '15:00',
    interval: null,
    weekday: null,
    dayOfMonth: null,
    ...over,
  });

  it('accepts a one-off later today in the owner’s zone', () => {
    const v = validateFollowUpForm(form({}), 'Asia/Dubai', now);
    expect(v).toMatchObject({
      ok: true,
      firstDueAt: new Date('2026-03-02T11:00:00Z'),
      schedule: { kind: 'once', timeZone: 'Asia/Dubai' },
    });
  });

  it('refuses a date in the past, a time already passed today, a bad time and a missing message', () => {
    expect(validateFollowUpForm(form({ date: '2026-03-01' }), 'Asia/Dubai', now)).toEqual({
      ok: false,
      errors: { date: expect.stringMatching(/past/) },
    });
    expect(validateFollowUpForm(form({ time: '13:59' }), 'Asia/Dubai', now)).toEqual({
      ok: false,
      errors: { time: expect.stringMatching(/already passed/) },
    });
    expect(validateFollowUpForm(form({ time: '25:00' }), 'Asia/Dubai', now)).toEqual({
      ok: false,
      errors: { time: expect.stringMatching(/HH:MM/) },
    });
    expect(validateFollowUpForm(form({ message: '   ' }), 'Asia/Dubai', now)).toEqual({
      ok: false,
      errors: { message: expect.any(String) },
    });
    expect(validateFollowUpForm(form({ date: '2026-02-30' }), 'Asia/Dubai', now)).toEqual({
      ok: false,
      errors: { date: expect.stringMatching(/YYYY-MM-DD/) },
    });
  });

  it('asks for the interval, weekday or day of month each recurring kind needs', () => {
    expect(validateFollowUpForm(form({ kind: 'every_days' }), 'UTC', now)).toEqual({
      ok: false,
      errors: { interval: expect.stringMatching(/how many days/) },
    });
    expect(validateFollowUpForm(form({ kind: 'every_weeks', interval: '0' }), 'UTC', now)).toEqual({
      ok: false,
      errors: { interval: expect.stringMatching(/1 to 52/) },
    });
    expect(validateFollowUpForm(form({ kind: 'weekly' }), 'UTC', now)).toEqual({
      ok: false,
      errors: { weekday: expect.any(String) },
    });
    expect(validateFollowUpForm(form({ kind: 'monthly', dayOfMonth: '32' }), 'UTC', now)).toEqual({
      ok: false,
      errors: { dayOfMonth: expect.stringMatching(/1 to 31/) },
    });
    expect(validateFollowUpForm(form({ kind: null }), 'UTC', now)).toEqual({
      ok: false,
      errors: { kind: expect.any(String) },
    });
  });

  it('accepts a recurring follow-up whose start time today has passed: it starts with the next occurrence', () => {
    const v = validateFollowUpForm(form({ kind: 'every_weeks', interval: '2', time: '09:00' }), 'Asia/Dubai', now);
    expect(v).toMatchObject({ ok: true, firstDueAt: new Date('2026-03-16T05:00:00Z'), schedule: { interval: 2 } });
  });
});
