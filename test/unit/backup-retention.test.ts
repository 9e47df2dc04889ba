import { backupsToKeep, type DatedBackup, isoWeekKey } from '../../src/backup/retention';

/** One backup a day at 00:05 UTC from `first`, for `days` days. */
function daily(first: string, days: number): DatedBackup[] {
  return Array.from({ length: days }, (_, i) => {
    const takenAt = new Date(new Date(`${first}T00:05:00Z`).getTime() + i * 86_400_000);
    return { name: takenAt.toISOString().slice(0, 10), takenAt };
  });
}

const sorted = (s: Set<string>) => [...s].sort();

describe('backup retention', () => {
  it('numbers weeks the ISO way, across year ends', () => {
    expect(isoWeekKey(new Date('2026-12-31T12:00:00Z'))).toBe('2026-W53');
    expect(isoWeekKey(new Date('2027-01-03T23:59:00Z'))).toBe('2026-W53');
    expect(isoWeekKey(new Date('2027-01-04T00:00:00Z'))).toBe('2027-W01');
    expect(isoWeekKey(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01');
    expect(isoWeekKey(new Date('2021-01-03T00:00:00Z'))).toBe('2020-W53');
  });

  it('keeps the newest of each of the last 7 days and of each of the last 4 weeks', () => {
    // 2026-12-01 (Tue) to 2027-01-09 (Sat); weeks run Monday to Sunday.
    const keep = backupsToKeep(daily('2026-12-01', 40), { daily: 7, weekly: 4 });
    expect(sorted(keep)).toEqual([
      '2026-12-20',
      '2026-12-27',
      '2027-01-03',
      '2027-01-04',
      '2027-01-05',
      '2027-01-06',
      '2027-01-07',
      '2027-01-08',
      '2027-01-09',
    ]);
  });

  it('counts days that have a backup, so a gap in the schedule does not empty the folder', () => {
    // Ten days of backups, then the app was down for ten days, then two more.
    const backups = [...daily('2026-11-01', 10), ...daily('2026-11-21', 2)];
    const keep = backupsToKeep(backups, { daily: 7, weekly: 0 });
    expect(sorted(keep)).toEqual([
      '2026-11-06',
      '2026-11-07',
      '2026-11-08',
      '2026-11-09',
      '2026-11-10',
      '2026-11-21',
      '2026-11-22',
    ]);
  });

  it('keeps only the newest of several backups on one day', () => {
    const day = ['00:00', '06:00', '12:00', '18:00'].map((t) => ({
      name: t,
      takenAt: new Date(`2026-11-25T${t}:00Z`),
    }));
    expect(sorted(backupsToKeep(day, { daily: 7, weekly: 4 }))).toEqual(['18:00']);
  });

  it('always keeps the newest backup, even with nothing else to keep', () => {
    expect(sorted(backupsToKeep(daily('2026-11-01', 5), { daily: 0, weekly: 0 }))).toEqual(['2026-11-05']);
    expect(backupsToKeep([], { daily: 7, weekly: 4 }).size).toBe(0);
  });
});
