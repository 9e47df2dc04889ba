import { dirname, join, resolve } from 'node:path';
import type { AppConfig } from '../config';
import { providerOf, sqlitePath } from '../db/client';
import type { RetentionPolicy } from './retention';

/** The app's own backups: on for SQLite, external (the database server's tools) on PostgreSQL, or switched off. */
export type BackupSettings =
  | { mode: 'sqlite'; databasePath: string; dir: string; intervalMs: number; retention: RetentionPolicy }
  | { mode: 'external' }
  | { mode: 'off' };

const HOUR_MS = 60 * 60 * 1000;

/** One backup at a time across the app's instances and `npm run backup`, which share the backup folder. */
export const BACKUP_LEASE_NAME = 'backup';
/** Longer than any backup takes; the lease is released as soon as the run ends. */
export const BACKUP_LEASE_MS = 30 * 60 * 1000;

type BackupConfig = Pick<
  AppConfig,
  | 'DATABASE_URL'
  | 'CRM_BACKUP'
  | 'CRM_BACKUP_DIR'
  | 'CRM_BACKUP_INTERVAL_HOURS'
  | 'CRM_BACKUP_KEEP_DAILY'
  | 'CRM_BACKUP_KEEP_WEEKLY'
>;

export function backupSettings(config: BackupConfig): BackupSettings {
  if (providerOf(config.DATABASE_URL) === 'postgres') return { mode: 'external' };
  if (!config.CRM_BACKUP) return { mode: 'off' };
  const databasePath = sqlitePath(config.DATABASE_URL);
  return {
    mode: 'sqlite',
    databasePath,
    dir: config.CRM_BACKUP_DIR ? resolve(config.CRM_BACKUP_DIR) : join(dirname(databasePath), 'backups'),
    intervalMs: config.CRM_BACKUP_INTERVAL_HOURS * HOUR_MS,
    retention: { daily: config.CRM_BACKUP_KEEP_DAILY, weekly: config.CRM_BACKUP_KEEP_WEEKLY },
  };
}

/** The schedule's period holding `now`: periods are aligned on the Unix epoch, so daily ones start at 00:00 UTC. */
export function backupPeriod(now: Date, intervalMs: number): { key: string; start: Date } {
  const start = new Date(Math.floor(now.getTime() / intervalMs) * intervalMs);
  return { key: `period:${start.toISOString()}`, start };
}

/** A backup older than this makes the backup "stale": admins are told on Home, /healthz says so. */
export function staleAfterMs(intervalMs: number): number {
  return 2 * intervalMs;
}

/** What the app says at start about its backups (PostgreSQL: the database server's own tools). */
export function describeBackupMode(config: BackupConfig): {
  mode: BackupSettings['mode'];
  level: 'info' | 'warn';
  message: string;
} {
  const settings = backupSettings(config);
  switch (settings.mode) {
    case 'sqlite':
      return {
        mode: 'sqlite',
        level: 'info',
        message: `backups: a verified copy of the SQLite database every ${settings.intervalMs / 3_600_000} h in ${settings.dir} (keeping ${settings.retention.daily} daily, ${settings.retention.weekly} weekly)`,
      };
    case 'external':
      return {
        mode: 'external',
        level: 'info',
        message:
          'backups: the app takes none on PostgreSQL; back the database up with pg_dump or WAL archiving (see docs/operations.md)',
      };
    case 'off':
      return {
        mode: 'off',
        level: 'warn',
        message: 'backups: off (CRM_BACKUP=off); nothing backs up the CRM database unless you do (e.g. Litestream)',
      };
  }
}
