/**
 * Who can read the data on the host: the database, its WAL and shared-memory files, backups,
 * manifests and a restored database are owner-only (files 0600, folders 0700) whatever the
 * umask, files made earlier with wider modes are narrowed, and the doctor warns about one
 * that other accounts can still read.
 */
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { restoreFromFile } from '../../src/backup/restore';
import { ManualClock } from '../../src/clock';
import { openDatabase, sqlitePath } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';
import { checkDatabase } from '../../src/doctor/check-database';
import { runBackupTick } from '../../src/jobs/backup';
import { backupDeps } from '../support/backup-deps';
import { tempSqliteUrl } from '../support/databases';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('owner-only files', () => {
  let target: { url: string; cleanup(): Promise<void> };
  let root: string;
  let oldUmask: number;
  beforeEach(() => {
    // The usual umask makes files 644 and folders 755: the app must not rely on it.
    oldUmask = process.umask(0o022);
    target = tempSqliteUrl();
    root = mkdtempSync(join(tmpdir(), 'crm-private-'));
  });
  afterEach(async () => {
    process.umask(oldUmask);
    await target.cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  it('creates the database folder 0700 and the database, WAL and shared-memory files 0600', async () => {
    await migrateDatabase(target.url);
    const db = openDatabase(target.url);
    try {
      await db.prisma.setting.findMany();
      const path = sqlitePath(target.url);
      expect(modeOf(dirname(path))).toBe('700');
      for (const suffix of ['', '-wal', '-shm']) {
        expect(existsSync(path + suffix)).toBe(true);
        expect([suffix, modeOf(path + suffix)]).toEqual([suffix, '600']);
      }
    } finally {
      await db.close();
    }
  });

  it('narrows a database file made earlier with a wider mode when it migrates it', async () => {
    await migrateDatabase(target.url);
    const path = sqlitePath(target.url);
    chmodSync(path, 0o644);
    await migrateDatabase(target.url);
    expect(modeOf(path)).toBe('600');
  });

  it('writes backups and manifests 0600 in a backup folder it creates 0700', async () => {
    await migrateDatabase(target.url);
    const backupDir = join(root, 'backups');
    const deps = backupDeps(target.url, new ManualClock('2026-11-25T00:00:30Z'), { CRM_BACKUP_DIR: backupDir });
    try {
      const outcome = await runBackupTick(deps);
      expect(outcome).toBe('good');
    } finally {
      await deps.db.close();
    }
    expect(modeOf(backupDir)).toBe('700');
    const names = readdirSync(backupDir);
    expect(names.filter((n) => n.endsWith('.db'))).toHaveLength(1);
    expect(names.filter((n) => n.endsWith('.json'))).toHaveLength(1);
    for (const name of names) expect([name, modeOf(join(backupDir, name))]).toEqual([name, '600']);
  });

  it('restores a world-readable backup file as an owner-only database, and keeps the replaced one owner-only', async () => {
    const source = tempSqliteUrl();
    try {
      await migrateDatabase(source.url);
      await migrateDatabase(target.url);
      const backup = join(root, 'copy.db');
      writeFileSync(backup, '');
      const db = openDatabase(source.url);
      await db.prisma.$executeRawUnsafe(`VACUUM INTO '${backup.replace(/'/g, "''")}'`);
      await db.close();
      chmodSync(backup, 0o644);
      const path = sqlitePath(target.url);
      chmodSync(path, 0o644);
      const report = await restoreFromFile({ file: backup, databaseUrl: target.url, now: new Date() });
      expect(modeOf(path)).toBe('600');
      expect(modeOf(report.setAside!)).toBe('600');
    } finally {
      await source.cleanup();
    }
  });

  it('the doctor warns about a database file or a backup that other accounts can read', async () => {
    await migrateDatabase(target.url);
    const path = sqlitePath(target.url);
    const backupDir = join(root, 'backups');
    const deps = backupDeps(target.url, new ManualClock('2026-11-25T00:00:30Z'), { CRM_BACKUP_DIR: backupDir });
    await runBackupTick(deps);
    await deps.db.close();
    expect((await checkDatabase(target.url, backupDir)).database.status).toBe('ok');

    const backup = readdirSync(backupDir).find((n) => n.endsWith('.db'))!;
    chmodSync(path, 0o644);
    chmodSync(join(backupDir, backup), 0o640);
    const { database } = await checkDatabase(target.url, backupDir);
    expect(database.status).toBe('warn');
    // The WAL, if the doctor's own read left one, takes the database file's mode: it is named too.
    expect(database.finding).toMatch(
      new RegExp(
        `^SQLite file ${path} answers, but other accounts on this host can read [23] files with customer data: `,
      ),
    );
    expect(database.finding).toContain(`${path} (mode 644)`);
    expect(database.finding).toContain(`${join(backupDir, backup)} (mode 640)`);
    expect(database.fix).toMatch(/^Make them owner-only: chmod 600 /);
    // The doctor only reports: it changes nothing.
    expect(modeOf(path)).toBe('644');
  });

  it('the image makes its data folder owner-only', () => {
    const dockerfile = readFileSync(join(__dirname, '..', '..', 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/mkdir -p \/data && chown node:node \/data && chmod 700 \/data/);
  });
});
