import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { readManifest, sha256OfFile, writeManifest } from '../../src/backup/backup-files';
import { takeManualBackup } from '../../src/backup/manual-backup';
import { RestoreRefusedError, restoreFromFile } from '../../src/backup/restore';
import { ManualClock } from '../../src/clock';
import { openDatabase, sqlitePath } from '../../src/db/client';
import { knownMigrations } from '../../src/db/migrate';
import { createLogger } from '../../src/logger';
import { migratedSqliteUrl, tempSqliteUrl } from '../support/databases';
import { startTestApp } from '../support/harness';
import { seedLead } from '../support/seed-leads';

const clock = new ManualClock('2026-11-25T09:00:00Z');
const retention = { daily: 7, weekly: 4 };

/** A database with one lead and a note, and a verified backup of it. */
async function databaseWithBackup(): Promise<{ url: string; backup: string; dir: string; cleanup(): Promise<void> }> {
  const target = await migratedSqliteUrl();
  const db = openDatabase(target.url);
  await seedLead(db.prisma, { customerId: 'C-1', name: 'Original Buyer' });
  await db.close();
  const dir = mkdtempSync(join(tmpdir(), 'crm-restore-'));
  const result = await takeManualBackup({
    databaseUrl: target.url,
    target: { databasePath: sqlitePath(target.url), dir, retention },
    clock,
    logger: createLogger('silent'),
  });
  if (result.status !== 'good') throw new Error(result.error);
  return {
    url: target.url,
    backup: result.path,
    dir,
    cleanup: async () => {
      await target.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function leadNames(url: string): Promise<string[]> {
  const db = openDatabase(url);
  try {
    return (await db.prisma.customerFigures.findMany({ orderBy: { customerId: 'asc' } })).map((c) => c.name);
  } finally {
    await db.close();
  }
}

/** A live database whose content differs from the backup, so a restore is visible. */
async function changeLiveData(url: string): Promise<void> {
  const db = openDatabase(url);
  await db.prisma.customerFigures.update({ where: { customerId: 'C-1' }, data: { name: 'Changed Since' } });
  await db.close();
}

function overwrite(file: string, at: number, bytes: Buffer): void {
  const fd = openSync(file, 'r+');
  writeSync(fd, bytes, 0, bytes.length, at);
  closeSync(fd);
}

async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RestoreRefusedError);
  return (err as Error).message;
}

function filesBeside(url: string): string[] {
  return readdirSync(dirname(sqlitePath(url))).filter((n) => n.includes('before-restore'));
}

describe('npm run restore with a SQLite backup', () => {
  it('restores a backup over the current database, keeps the replaced file aside, and forgets the copied leases', async () => {
    const env = await databaseWithBackup();
    try {
      await changeLiveData(env.url);
      // Litestream's bookkeeping for the old file would not match the new one.
      const litestream = join(dirname(sqlitePath(env.url)), '.crm.db-litestream');
      mkdirSync(litestream);
      const said: string[] = [];
      const report = await restoreFromFile({
        file: env.backup,
        databaseUrl: env.url,
        now: clock.now(),
        say: (l) => said.push(l),
      });
      expect(existsSync(litestream)).toBe(false);
      expect(
        existsSync(join(dirname(sqlitePath(env.url)), '.crm.db.before-restore-20261125T090000000Z-litestream')),
      ).toBe(true);
      expect(said).toContain(
        `Litestream's folder for the old database was moved aside too; Litestream starts a new generation when it runs again.`,
      );
      expect(report).toMatchObject({ kind: 'sqlite-backup', migrated: [] });
      expect(await leadNames(env.url)).toEqual(['Original Buyer']);
      expect(report.setAside).toMatch(/crm\.db\.before-restore-20261125T090000000Z$/);
      expect(await leadNames(`file:${report.setAside}`)).toEqual(['Changed Since']);
      const db = openDatabase(env.url);
      // The backup was taken under the backup lease: a restored database must not inherit it.
      expect(await db.prisma.jobLease.count()).toBe(0);
      expect((await db.prisma.backupRun.findMany()).map((r) => r.status)).toEqual(['failed']);
      await db.close();
      // The backup file itself is untouched.
      expect(readdirSync(env.dir).sort()).toEqual([expect.stringMatching(/\.db$/), expect.stringMatching(/\.json$/)]);
    } finally {
      await env.cleanup();
    }
  });

  it('refuses a corrupt backup with a clear message and changes nothing', async () => {
    const env = await databaseWithBackup();
    try {
      await changeLiveData(env.url);
      const damaged = join(env.dir, 'damaged.db');
      copyFileSync(env.backup, damaged);
      const pageSize = 4096;
      overwrite(damaged, 3 * pageSize + 8, Buffer.alloc(600, 0xa5));
      // Without a manifest, SQLite's own check finds it.
      expect(await refusal(restoreFromFile({ file: damaged, databaseUrl: env.url, now: clock.now() }))).toMatch(
        /^damaged\.db is corrupt or not a SQLite database, so it was not restored \(SQLite says: .+\)\.$/,
      );
      // With its manifest, the checksum catches any change first.
      overwrite(env.backup, statSync(env.backup).size - 100, Buffer.from('tampered'));
      expect(await refusal(restoreFromFile({ file: env.backup, databaseUrl: env.url, now: clock.now() }))).toMatch(
        /does not match its manifest/,
      );
      const junk = join(env.dir, 'notes.db');
      writeFileSync(junk, 'these are not the rows you are looking for\n'.repeat(100));
      expect(await refusal(restoreFromFile({ file: junk, databaseUrl: env.url, now: clock.now() }))).toContain(
        'notes.db is corrupt or not a SQLite database',
      );
      expect(
        await refusal(restoreFromFile({ file: join(env.dir, 'missing.db'), databaseUrl: env.url, now: clock.now() })),
      ).toMatch(/^There is no file at /);

      expect(await leadNames(env.url)).toEqual(['Changed Since']);
      expect(filesBeside(env.url)).toEqual([]);
    } finally {
      await env.cleanup();
    }
  });

  it('refuses a backup made by a newer version of the CRM, naming the unknown migration', async () => {
    const env = await databaseWithBackup();
    try {
      const future = join(env.dir, 'future.db');
      copyFileSync(env.backup, future);
      const raw = new Database(future);
      raw
        .prepare(
          'INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)',
        )
        .run('f1', 'a'.repeat(64), '2030-01-01T00:00:00Z', '29991231000000_from_the_future', '2030-01-01T00:00:00Z');
      raw.close();
      expect(await refusal(restoreFromFile({ file: future, databaseUrl: env.url, now: clock.now() }))).toBe(
        'future.db was made by a newer version of the CRM: it has migration 29991231000000_from_the_future that this version does not know. Upgrade the CRM, then restore it.',
      );
      expect(filesBeside(env.url)).toEqual([]);
    } finally {
      await env.cleanup();
    }
  });

  it('refuses a backup whose schema differs from what its migrations make, naming each difference, even with a matching manifest', async () => {
    const env = await databaseWithBackup();
    try {
      await changeLiveData(env.url);
      // A copy given a trigger that makes someone an admin on the next note, and a table of its own.
      const tampered = join(env.dir, 'crm-backup-20261125T100000000Z.db');
      copyFileSync(env.backup, tampered);
      const raw = new Database(tampered);
      raw.exec(`CREATE TRIGGER "promote" AFTER INSERT ON "Activity" BEGIN
          UPDATE "RosterMember" SET "role" = 'admin' WHERE "userId" = 'U0EVIL001'; END;
        CREATE TABLE "Sneaky" ("x" TEXT);`);
      raw.close();
      // Anyone who can write the folder can write a manifest whose checksum matches.
      writeManifest(tampered, {
        ...readManifest(env.backup)!,
        file: basename(tampered),
        sha256: await sha256OfFile(tampered),
      });
      expect(await refusal(restoreFromFile({ file: tampered, databaseUrl: env.url, now: clock.now() }))).toBe(
        'crm-backup-20261125T100000000Z.db does not have the schema its migrations make, so it was not restored: an extra table "Sneaky"; an extra trigger "promote" on "Activity". A backup the CRM took has exactly that schema: this file was changed after it was taken. Restore another backup.',
      );

      const other = join(env.dir, 'other.db');
      copyFileSync(env.backup, other);
      const raw2 = new Database(other);
      raw2.exec(`DROP INDEX "Lead_stage_lifetimeUsdCents_customerId_idx";
        ALTER TABLE "Lead" ADD COLUMN "extra" TEXT;
        CREATE VIEW "everything" AS SELECT * FROM "CustomerFigures";
        DROP TRIGGER "StageTotal_lead_ai";
        CREATE TRIGGER "StageTotal_lead_ai" AFTER INSERT ON "Lead" BEGIN DELETE FROM "Activity"; END;`);
      raw2.close();
      const message = await refusal(restoreFromFile({ file: other, databaseUrl: env.url, now: clock.now() }));
      expect(message).toMatch(/^other\.db does not have the schema its migrations make, so it was not restored: /);
      for (const named of [
        'an extra view "everything"',
        'index "Lead_stage_lifetimeUsdCents_customerId_idx" on "Lead" is missing',
        'an extra column "extra" in table "Lead"',
        'trigger "StageTotal_lead_ai" on "Lead" is defined differently from its migrations',
      ])
        expect(message).toContain(named);

      // Nothing was replaced.
      expect(await leadNames(env.url)).toEqual(['Changed Since']);
      expect(filesBeside(env.url)).toEqual([]);
    } finally {
      await env.cleanup();
    }
  });

  it('applies the migrations an older backup lacks, after restoring it', async () => {
    const env = await databaseWithBackup();
    try {
      const latest = knownMigrations('sqlite').find((m) => m.name.endsWith('_backup_runs'))!.name;
      const older = join(env.dir, 'older.db');
      copyFileSync(env.backup, older);
      const raw = new Database(older);
      // As a backup taken before the migration that added BackupRun existed.
      raw.exec('DROP TABLE "BackupRun"');
      raw.prepare('DELETE FROM _prisma_migrations WHERE migration_name = ?').run(latest);
      raw.close();
      const report = await restoreFromFile({ file: older, databaseUrl: env.url, now: clock.now() });
      expect(report.migrated).toEqual([latest]);
      const db = openDatabase(env.url);
      expect(await db.prisma.backupRun.count()).toBe(0);
      expect(await db.prisma.customerFigures.count()).toBe(1);
      await db.close();
    } finally {
      await env.cleanup();
    }
  });

  it('restores onto a machine that has no database yet', async () => {
    const env = await databaseWithBackup();
    const fresh = tempSqliteUrl();
    try {
      const report = await restoreFromFile({ file: env.backup, databaseUrl: fresh.url, now: clock.now() });
      expect(report.setAside).toBeNull();
      expect(await leadNames(fresh.url)).toEqual(['Original Buyer']);
    } finally {
      await fresh.cleanup();
      await env.cleanup();
    }
  });

  it('refuses to replace the database of a running app, and restores once it has stopped', async () => {
    const env = await databaseWithBackup();
    const app = await startTestApp({ databaseUrl: env.url, clock });
    try {
      const message = await refusal(restoreFromFile({ file: env.backup, databaseUrl: env.url, now: clock.now() }));
      expect(message).toBe(
        'The CRM app is running on this database (1 instance; last heartbeat 0 s ago). Stop every instance first, then restore. If the app crashed, its heartbeat expires within 60 s.',
      );
      expect(filesBeside(env.url)).toEqual([]);
      await app.stopApp();
      const report = await restoreFromFile({ file: env.backup, databaseUrl: env.url, now: clock.now() });
      expect(report.setAside).not.toBeNull();
      expect(existsSync(report.setAside!)).toBe(true);
    } finally {
      await app.stop();
      await env.cleanup();
    }
  });

  it('goes ahead once a crashed instance’s heartbeat has expired', async () => {
    const env = await databaseWithBackup();
    try {
      const db = openDatabase(env.url);
      await db.prisma.jobLease.create({
        data: { name: 'instance:crashed', holder: 'crashed', expiresAt: new Date(clock.now().getTime() + 30_000) },
      });
      await db.close();
      await expect(restoreFromFile({ file: env.backup, databaseUrl: env.url, now: clock.now() })).rejects.toThrow(
        /running on this database/,
      );
      const report = await restoreFromFile({
        file: env.backup,
        databaseUrl: env.url,
        now: new Date(clock.now().getTime() + 31_000),
      });
      expect(report.kind).toBe('sqlite-backup');
      expect(readFileSync(sqlitePath(env.url)).subarray(0, 15).toString()).toBe('SQLite format 3');
    } finally {
      await env.cleanup();
    }
  });
});
