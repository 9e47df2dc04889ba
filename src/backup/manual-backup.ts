import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Clock } from '../clock';
import { type CrmPrisma, openDatabase } from '../db/client';
import { releaseLease, tryAcquireLease } from '../db/leases';
import type { Logger } from '../logger';
import { BACKUP_LEASE_MS, BACKUP_LEASE_NAME } from './backup-settings';
import { type BackupResult, type SqliteBackupTarget, takeBackup } from './take-backup';

export interface ManualBackupOptions {
  databaseUrl: string;
  target: SqliteBackupTarget;
  clock: Clock;
  logger: Logger;
  /** How long to wait for a backup the app is taking right now. */
  waitMs?: number;
}

async function hasBackupRunTable(prisma: CrmPrisma): Promise<boolean> {
  try {
    await prisma.$queryRawUnsafe('SELECT 1 FROM "BackupRun" LIMIT 1');
    return true;
  } catch {
    return false;
  }
}

/**
 * `npm run backup`: one backup now, into the same folder and under the same lease as the
 * app's schedule (so the two never write the folder at once), whether or not the app runs.
 */
export async function takeManualBackup(options: ManualBackupOptions): Promise<BackupResult> {
  if (!existsSync(options.target.databasePath))
    return { status: 'failed', error: `there is no database at ${options.target.databasePath}` };
  const db = openDatabase(options.databaseUrl);
  const holder = `cli:${randomUUID()}`;
  try {
    const deadline = Date.now() + (options.waitMs ?? 120_000);
    while (!(await tryAcquireLease(db.prisma, BACKUP_LEASE_NAME, holder, BACKUP_LEASE_MS, options.clock.now()))) {
      if (Date.now() > deadline)
        return { status: 'failed', error: 'the app has been taking a backup for too long; try again later' };
      await new Promise((r) => setTimeout(r, 1000));
    }
    try {
      const startedAt = options.clock.now();
      return await takeBackup({
        prisma: db.prisma,
        target: options.target,
        clock: options.clock,
        logger: options.logger,
        holder,
        periodKey: `manual:${startedAt.toISOString()}:${holder.slice(-8)}`,
        trigger: 'manual',
        // A database from before backups were recorded (e.g. backed up before an upgrade) is still copied.
        record: await hasBackupRunTable(db.prisma),
      });
    } finally {
      await releaseLease(db.prisma, BACKUP_LEASE_NAME, holder);
    }
  } finally {
    await db.close();
  }
}
