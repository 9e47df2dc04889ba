import type { CrmPrisma } from '../db/client';

/**
 * BackupRun rows: one per scheduled period (its unique key keeps a period to one backup
 * across app instances) or per manual backup. They make the last good backup's age known
 * to every instance, to /healthz and to the Home notice.
 */

export type BackupTrigger = 'schedule' | 'manual';

export interface BackupRunRecord {
  periodKey: string;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
}

export async function findBackupRun(prisma: CrmPrisma, periodKey: string): Promise<BackupRunRecord | null> {
  return prisma.backupRun.findUnique({
    where: { periodKey },
    select: { periodKey: true, status: true, startedAt: true, finishedAt: true },
  });
}

/** Marks the period's backup as running (a retry of a failed or abandoned one reuses its row). */
export async function startBackupRun(
  prisma: CrmPrisma,
  run: { periodKey: string; trigger: BackupTrigger; holder: string; startedAt: Date },
): Promise<void> {
  const fresh = {
    trigger: run.trigger,
    holder: run.holder,
    startedAt: run.startedAt,
    finishedAt: null,
    status: 'running',
    fileName: null,
    tableCounts: null,
    error: null,
  };
  await prisma.backupRun.upsert({
    where: { periodKey: run.periodKey },
    create: { periodKey: run.periodKey, ...fresh },
    update: fresh,
  });
}

export async function finishBackupRunGood(
  prisma: CrmPrisma,
  periodKey: string,
  result: { finishedAt: Date; fileName: string; tableCounts: Record<string, number> },
): Promise<void> {
  await prisma.backupRun.update({
    where: { periodKey },
    data: {
      status: 'good',
      finishedAt: result.finishedAt,
      fileName: result.fileName,
      tableCounts: JSON.stringify(result.tableCounts),
      error: null,
    },
  });
}

export async function finishBackupRunFailed(
  prisma: CrmPrisma,
  periodKey: string,
  finishedAt: Date,
  error: string,
): Promise<void> {
  await prisma.backupRun.update({
    where: { periodKey },
    data: { status: 'failed', finishedAt, error: error.slice(0, 500) },
  });
}

/** When the newest good backup finished, or null if there is none yet. */
export async function lastGoodBackupAt(prisma: CrmPrisma): Promise<Date | null> {
  const row = await prisma.backupRun.findFirst({
    where: { status: 'good' },
    orderBy: { finishedAt: 'desc' },
    select: { finishedAt: true },
  });
  return row?.finishedAt ?? null;
}

/** When the first backup was attempted: the age of "no good backup yet" is counted from it. */
export async function firstBackupAttemptAt(prisma: CrmPrisma): Promise<Date | null> {
  const row = await prisma.backupRun.findFirst({ orderBy: { startedAt: 'asc' }, select: { startedAt: true } });
  return row?.startedAt ?? null;
}
