import { renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../clock';
import type { CrmPrisma } from '../db/client';
import { createPrivateFile, ensurePrivateDir } from '../db/private-files';
import { resolveAdminNoticesOfKind } from '../domain/admin-notices';
import type { Logger } from '../logger';
import {
  type BackupManifest,
  backupFileName,
  fsyncDir,
  fsyncFile,
  listBackupFolder,
  manifestPathFor,
  partialPathFor,
  sha256OfFile,
  writeManifest,
} from './backup-files';
import { type BackupTrigger, finishBackupRunFailed, finishBackupRunGood, startBackupRun } from './backup-runs';
import { backupsToKeep, type RetentionPolicy } from './retention';
import { snapshotSqlite } from './sqlite-snapshot';

export interface SqliteBackupTarget {
  databasePath: string;
  dir: string;
  retention: RetentionPolicy;
}

export interface TakeBackupOptions {
  prisma: CrmPrisma;
  target: SqliteBackupTarget;
  clock: Clock;
  logger: Logger;
  /** Who takes it (the app instance, or the CLI). */
  holder: string;
  periodKey: string;
  trigger: BackupTrigger;
  /** False: a database older than the BackupRun table (a backup before an upgrade); the copy is only recorded in its manifest. */
  record?: boolean;
}

export type BackupResult =
  | { status: 'good'; path: string; manifest: BackupManifest; pruned: string[] }
  | { status: 'failed'; error: string };

/** An unverified copy or leftover this old is surely not another run's work in progress. */
const LEFTOVER_AGE_MS = 60 * 60 * 1000;

/**
 * Takes one backup: a snapshot of the live database into the backup folder, checked on the
 * copy (integrity and row counts), synced to disk, recorded in a manifest beside it and in
 * BackupRun; then applies the retention policy. Callers hold the `backup` lease, so two runs
 * never share the folder. A failure is recorded and returned, never thrown.
 */
export async function takeBackup(options: TakeBackupOptions): Promise<BackupResult> {
  const { prisma, target, clock, logger, periodKey, trigger } = options;
  const record = options.record ?? true;
  const startedAt = clock.now();
  if (record) await startBackupRun(prisma, { periodKey, trigger, holder: options.holder, startedAt });
  const path = join(target.dir, backupFileName(startedAt));
  const partial = partialPathFor(path);
  try {
    ensurePrivateDir(target.dir);
    // VACUUM INTO fills an empty file it finds and keeps its owner-only mode.
    createPrivateFile(partial);
    const check = await snapshotSqlite(target.databasePath, partial);
    if (!check.ok) throw new Error(`the copy failed its integrity check: ${check.problems.slice(0, 3).join('; ')}`);
    fsyncFile(partial);
    renameSync(partial, path);
    fsyncDir(target.dir);
    const manifest: BackupManifest = {
      format: 'slack-crm-backup',
      version: 1,
      file: backupFileName(startedAt),
      takenAt: startedAt.toISOString(),
      trigger,
      bytes: statSync(path).size,
      sha256: await sha256OfFile(path),
      integrity: 'ok',
      migration: check.migrations?.at(-1)?.name ?? null,
      tableCounts: check.tableCounts,
    };
    writeManifest(path, manifest);
    const finishedAt = clock.now();
    if (record) {
      await finishBackupRunGood(prisma, periodKey, {
        finishedAt,
        fileName: manifest.file,
        tableCounts: manifest.tableCounts,
      });
      await resolveAdminNoticesOfKind(prisma, 'backup_stale', finishedAt);
    }
    logger.info(
      { file: manifest.file, bytes: manifest.bytes, tables: Object.keys(manifest.tableCounts).length, trigger },
      'backup taken and verified',
    );
    const pruned = pruneBackupFolder(target.dir, target.retention, finishedAt, logger);
    return { status: 'good', path, manifest, pruned };
  } catch (err) {
    const error = (err as Error).message;
    try {
      rmSync(partial, { force: true });
    } catch {
      // the folder itself is the problem; nothing was written
    }
    logger.error({ err, dir: target.dir, trigger }, 'backup failed');
    if (record)
      await finishBackupRunFailed(prisma, periodKey, clock.now(), error).catch((e: unknown) =>
        logger.error({ err: e }, 'could not record the failed backup'),
      );
    return { status: 'failed', error };
  }
}

/**
 * Deletes the verified backups the policy does not keep, and unverified copies and leftovers
 * of crashed runs. Returns the deleted backups' names. A file that cannot be deleted is
 * logged and left: the backup itself has succeeded.
 */
export function pruneBackupFolder(dir: string, policy: RetentionPolicy, now: Date, logger: Logger): string[] {
  const { backups, leftovers } = listBackupFolder(dir);
  const verified = backups.filter((b) => b.manifest !== null);
  const keep = backupsToKeep(verified, policy);
  const old = (t: Date) => now.getTime() - t.getTime() > LEFTOVER_AGE_MS;
  const pruned: string[] = [];
  const remove = (path: string) => {
    try {
      rmSync(path, { force: true });
    } catch (err) {
      logger.warn({ err, path }, 'could not delete an old backup file');
    }
  };
  for (const b of backups) {
    if (b.manifest ? keep.has(b.name) : !old(b.takenAt)) continue;
    remove(b.path);
    remove(manifestPathFor(b.path));
    pruned.push(b.name);
  }
  for (const leftover of leftovers) if (old(leftover.takenAt)) remove(leftover.path);
  if (pruned.length) logger.info({ deleted: pruned.length, kept: keep.size }, 'old backups deleted (retention)');
  return pruned;
}
