import { dueDigestPeriod, latestDigestPeriod } from '../../src/domain/digest-schedule';
import { type DigestSchedule, validateSetting } from '../../src/domain/settings';

const schedule = (s: Partial<DigestSchedule>): DigestSchedule => ({
  frequency: 'daily',
  weekday: 1,
  time: '09:00',
  timeZone: 'UTC',
  ...s,
});
const iso = (d: Date) => d.toISOString();

describe('digest schedule', () => {
  it('names a daily period by the local date of its scheduled time', () => {
    const p = latestDigestPeriod(schedule({ timeZone: 'Asia/Dubai' }), new Date('2026-11-25T04:59:00Z'));
    expect(p.periodKey).toBe('daily:2026-11-24');
    expect([iso(p.from), iso(p.to)]).toEqual(['2026-11-23T05:00:00.000Z', '2026-11-24T05:00:00.000Z']);
  });

  it('goes back to the configured weekday for a weekly period', () => {
    // Wednesday 25 Nov 2026; the digest is on Mondays.
    const p = latestDigestPeriod(schedule({ frequency: 'weekly', weekday: 1 }), new Date('2026-11-25T12:00:00Z'));
    expect(p.periodKey).toBe('weekly:2026-11-23');
    expect([iso(p.from), iso(p.to)]).toEqual(['2026-11-16T09:00:00.000Z', '2026-11-23T09:00:00.000Z']);
  });

  it('treats DST days like follow-ups do: a skipped time moves forward, a repeated one takes the first', () => {
    const gap = latestDigestPeriod(
      schedule({ time: '02:30', timeZone: 'America/New_York' }),
      new Date('2026-03-09T12:00:00Z'),
    );
    expect(iso(gap.from)).toBe('2026-03-08T07:30:00.000Z');
    const overlap = latestDigestPeriod(
      schedule({ time: '01:30', timeZone: 'America/New_York' }),
      new Date('2026-11-02T12:00:00Z'),
    );
    expect(iso(overlap.from)).toBe('2026-11-01T05:30:00.000Z');
  });

  it('is due only within the catch-up window', () => {
    expect(dueDigestPeriod(schedule({}), new Date('2026-11-25T09:30:00Z'))?.periodKey).toBe('daily:2026-11-25');
    expect(dueDigestPeriod(schedule({}), new Date('2026-11-25T11:30:00Z'))).toBeNull();
  });

  it('accepts only HH:MM times and known time zones', () => {
    expect(validateSetting('digest_schedule', schedule({ time: '09:00', timeZone: 'Asia/Riyadh' }))).toMatchObject({
      time: '09:00',
    });
    expect(() => validateSetting('digest_schedule', schedule({ time: '9:00' }))).toThrow(/time/);
    expect(() => validateSetting('digest_schedule', schedule({ time: '24:00' }))).toThrow(/time/);
    expect(() => validateSetting('digest_schedule', schedule({ timeZone: 'Mars/Base' }))).toThrow(/timeZone/);
  });
});
