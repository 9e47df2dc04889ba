import { join, resolve } from 'node:path';
import { backupPeriod, backupSettings, describeBackupMode } from '../../src/backup/backup-settings';
import { loadConfig } from '../../src/config';

const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'shh' };

describe('backup settings', () => {
  it('default to a daily backup beside the SQLite file, keeping 7 daily and 4 weekly', () => {
    const settings = backupSettings(loadConfig({ ...base, DATABASE_URL: 'file:./data/crm.db' }));
    expect(settings).toEqual({
      mode: 'sqlite',
      databasePath: resolve('data/crm.db'),
      dir: join(resolve('data'), 'backups'),
      intervalMs: 24 * 3_600_000,
      retention: { daily: 7, weekly: 4 },
    });
  });

  it('read the folder, interval and retention from the environment', () => {
    const settings = backupSettings(
      loadConfig({
        ...base,
        CRM_BACKUP_DIR: '/srv/crm-backups',
        CRM_BACKUP_INTERVAL_HOURS: '6',
        CRM_BACKUP_KEEP_DAILY: '14',
        CRM_BACKUP_KEEP_WEEKLY: '0',
      }),
    );
    expect(settings).toMatchObject({
      mode: 'sqlite',
      dir: '/srv/crm-backups',
      intervalMs: 6 * 3_600_000,
      retention: { daily: 14, weekly: 0 },
    });
  });

  it('are external on PostgreSQL and off with CRM_BACKUP=off, and the app says which at start', () => {
    const pg = loadConfig({ ...base, DATABASE_URL: 'postgres://crm@db/crm' });
    expect(backupSettings(pg)).toEqual({ mode: 'external' });
    expect(describeBackupMode(pg).message).toMatch(
      /takes none on PostgreSQL; back the database up with pg_dump or WAL archiving/,
    );
    const off = loadConfig({ ...base, CRM_BACKUP: 'off' });
    expect(backupSettings(off)).toEqual({ mode: 'off' });
    expect(describeBackupMode(off).level).toBe('warn');
  });

  it('name each bad value', () => {
    expect(() =>
      loadConfig({ ...base, CRM_BACKUP: 'sometimes', CRM_BACKUP_INTERVAL_HOURS: '0', CRM_BACKUP_KEEP_WEEKLY: 'four' }),
    ).toThrow(
      /CRM_BACKUP must be on or off[\s\S]*CRM_BACKUP_INTERVAL_HOURS must be a whole number from 1 to 168[\s\S]*CRM_BACKUP_KEEP_WEEKLY must be a whole number from 0 to 520/,
    );
  });

  it('cut time into periods aligned on UTC midnight for daily backups', () => {
    expect(backupPeriod(new Date('2026-11-25T17:42:00Z'), 24 * 3_600_000)).toEqual({
      key: 'period:2026-11-25T00:00:00.000Z',
      start: new Date('2026-11-25T00:00:00Z'),
    });
    expect(backupPeriod(new Date('2026-11-25T17:42:00Z'), 6 * 3_600_000).key).toBe('period:2026-11-25T12:00:00.000Z');
  });
});
