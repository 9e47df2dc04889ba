import type { CrmPrisma } from '../db/client';
import { firstBackupAttemptAt, lastGoodBackupAt } from './backup-runs';
import { staleAfterMs } from './backup-settings';

export interface BackupFreshness {
  lastGoodAt: Date | null;
  /** More than two periods since the last good backup (or, with none yet, since the first attempt). */
  stale: boolean;
}

/** How old the last good backup is, as /healthz and the Home notice judge it. */
export async function backupFreshness(prisma: CrmPrisma, intervalMs: number, now: Date): Promise<BackupFreshness> {
  const lastGoodAt = await lastGoodBackupAt(prisma);
  const since = lastGoodAt ?? (await firstBackupAttemptAt(prisma));
  return { lastGoodAt, stale: since !== null && now.getTime() - since.getTime() > staleAfterMs(intervalMs) };
}
