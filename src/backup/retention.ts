/**
 * Which verified backups to keep: the newest one of each of the `daily` most recent days
 * that have a backup, and the newest one of each of the `weekly` most recent ISO weeks
 * (Monday to Sunday) that have one, in UTC; the newest backup of all is always kept. The
 * same rule as restic's `--keep-daily` / `--keep-weekly`, so a gap in the schedule (the app
 * was down for a week) never makes the policy throw away the last backups before the gap.
 */
export interface RetentionPolicy {
  daily: number;
  weekly: number;
}

export interface DatedBackup {
  name: string;
  takenAt: Date;
}

function dayKey(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** ISO 8601 week of a UTC date, e.g. "2026-W48" (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeekKey(d: Date): string {
  const date = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // the Thursday of this week decides its year
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

function newestPerBucket(newestFirst: DatedBackup[], bucketOf: (d: Date) => string, buckets: number): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const b of newestFirst) {
    if (seen.size >= buckets) break;
    const key = bucketOf(b.takenAt);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(b.name);
  }
  return kept;
}

/** The names to keep; every other backup may be deleted. */
export function backupsToKeep(backups: DatedBackup[], policy: RetentionPolicy): Set<string> {
  const newestFirst = [...backups].sort(
    (a, b) => b.takenAt.getTime() - a.takenAt.getTime() || b.name.localeCompare(a.name),
  );
  const keep = new Set<string>();
  if (newestFirst.length) keep.add(newestFirst[0]!.name);
  for (const n of newestPerBucket(newestFirst, dayKey, policy.daily)) keep.add(n);
  for (const n of newestPerBucket(newestFirst, isoWeekKey, policy.weekly)) keep.add(n);
  return keep;
}
