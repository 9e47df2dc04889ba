import { findBackupRun } from '../backup/backup-runs';
import {
  BACKUP_LEASE_MS,
  BACKUP_LEASE_NAME,
  type BackupSettings,
  backupPeriod,
  backupSettings,
} from '../backup/backup-settings';
import { backupFreshness } from '../backup/freshness';
import { releaseLease, tryAcquireLease } from '../db/leases';
import type { AppDeps } from '../deps';
import { raiseAdminNotice } from '../domain/admin-notices';
import type { Job } from './scheduler';

/** After a failed backup, wait this long before trying the same period again. */
export const BACKUP_RETRY_AFTER_MS = 15 * 60 * 1000;

export type BackupTickOutcome = 'not_sqlite' | 'done' | 'retry_later' | 'busy_elsewhere' | 'good' | 'failed';

type SqliteSettings = Extract<BackupSettings, { mode: 'sqlite' }>;

/**
 * One tick of the schedule: takes the current period's backup unless it exists, once across
 * instances (the `backup` lease, then the period's BackupRun row read again under it), then
 * tells admins on Home when the last good backup is older than two periods.
 */
export async function runBackupTick(deps: AppDeps): Promise<BackupTickOutcome> {
  const settings = backupSettings(deps.config);
  if (settings.mode !== 'sqlite') return 'not_sqlite';
  const outcome = await backupIfDue(deps, settings);
  await noticeIfStale(deps, settings);
  return outcome;
}

async function backupIfDue(deps: AppDeps, settings: SqliteSettings): Promise<BackupTickOutcome> {
  const { prisma } = deps.db;
  const now = deps.clock.now();
  const period = backupPeriod(now, settings.intervalMs);
  const due = async (): Promise<BackupTickOutcome | null> => {
    const run = await findBackupRun(prisma, period.key);
    if (run?.status === 'good') return 'done';
    if (run?.status === 'failed' && run.finishedAt && now.getTime() - run.finishedAt.getTime() < BACKUP_RETRY_AFTER_MS)
      return 'retry_later';
    return null;
  };
  // Most ticks stop here, with one read and no write.
  const before = await due();
  if (before) return before;
  if (!(await tryAcquireLease(prisma, BACKUP_LEASE_NAME, deps.instanceId, BACKUP_LEASE_MS, now)))
    return 'busy_elsewhere';
  try {
    // Another instance may have finished this period's backup since the first read.
    const underLease = await due();
    if (underLease) return underLease;
    // Loaded when a backup is due (once a day), not at start.
    const { takeBackup } = await import('../backup/take-backup');
    const result = await takeBackup({
      prisma,
      target: settings,
      clock: deps.clock,
      logger: deps.logger,
      holder: deps.instanceId,
      periodKey: period.key,
      trigger: 'schedule',
    });
    return result.status;
  } finally {
    await releaseLease(prisma, BACKUP_LEASE_NAME, deps.instanceId);
  }
}

async function noticeIfStale(deps: AppDeps, settings: SqliteSettings): Promise<void> {
  const { prisma } = deps.db;
  const now = deps.clock.now();
  const freshness = await backupFreshness(prisma, settings.intervalMs, now);
  if (!freshness.stale) return;
  const lastGoodAt = freshness.lastGoodAt?.toISOString() ?? null;
  const raised = await raiseAdminNotice(
    prisma,
    { kind: 'backup_stale', lastGoodAt, intervalHours: settings.intervalMs / 3_600_000 },
    now,
    { onceEver: true },
  );
  if (raised)
    deps.logger.warn({ lastGoodAt }, 'no good backup for more than two backup periods: admins are told on Home');
}

/** Every minute: cheap when this period's backup exists; the work happens once per period. */
export const backupJob: Job = {
  name: 'backup',
  schedule: '* * * * *',
  run: async (deps) => {
    await runBackupTick(deps);
  },
};
