import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { toPostgresSchema } from '../../scripts/postgres-schema.cjs';
import { openDatabase, sqlitePath } from '../../src/db/client';
import { knownMigrations, migrateDatabase, migrationStatus, migrationsDir } from '../../src/db/migrate';
import { tempPostgresUrl, tempSqliteUrl } from '../support/databases';

describe('migrations', () => {
  it('create the schema on a fresh SQLite file (folder created, WAL mode) and are idempotent', async () => {
    const target = tempSqliteUrl();
    try {
      const first = await migrateDatabase(target.url);
      expect(first.applied.length).toBeGreaterThan(0);
      expect(existsSync(sqlitePath(target.url))).toBe(true);
      const again = await migrateDatabase(target.url);
      expect(again.applied).toEqual([]);
      const raw = new Database(sqlitePath(target.url));
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      raw.close();
      const db = openDatabase(target.url);
      await db.prisma.rosterMember.create({ data: { userId: 'U0ADMIN01', role: 'admin' } });
      expect(await db.prisma.rosterMember.count()).toBe(1);
      await db.close();
    } finally {
      await target.cleanup();
    }
  });

  it('create the same models on PostgreSQL, in their own schema', async () => {
    const target = tempPostgresUrl();
    try {
      const first = await migrateDatabase(target.url);
      expect(first.applied.length).toBeGreaterThan(0);
      expect((await migrateDatabase(target.url)).applied).toEqual([]);
      const db = openDatabase(target.url);
      await db.prisma.customerFigures.create({
        data: {
          customerId: 'C1',
          name: 'ACME',
          markets: 'AE',
          orderCount: 1,
          lifetimeUsdCents: 9_007_199_254_740_993n,
          searchText: 'acme',
        },
      });
      const row = await db.prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'C1' } });
      expect(row.lifetimeUsdCents).toBe(9_007_199_254_740_993n);
      await db.close();
    } finally {
      await target.cleanup();
    }
  });

  it('refuse to run when an applied migration was edited', async () => {
    const target = tempSqliteUrl();
    try {
      await migrateDatabase(target.url);
      const raw = new Database(sqlitePath(target.url));
      raw.prepare('UPDATE _prisma_migrations SET checksum = ?').run('0'.repeat(64));
      raw.close();
      await expect(migrateDatabase(target.url)).rejects.toThrow(/edited after it was applied/);
    } finally {
      await target.cleanup();
    }
  });

  it('exist for both providers with the same names, and the PostgreSQL schema is generated from the SQLite one', () => {
    const names = (p: 'sqlite' | 'postgres') =>
      require('node:fs')
        .readdirSync(migrationsDir(p))
        .filter((n: string) => /^\d{14}_/.test(n));
    expect(names('postgres')).toEqual(names('sqlite'));
    const root = join(__dirname, '..', '..');
    const expected = toPostgresSchema(readFileSync(join(root, 'prisma/schema.prisma'), 'utf8'));
    expect(readFileSync(join(root, 'prisma/postgres/schema.prisma'), 'utf8')).toBe(expected);
  });

  describe('status, read without changing anything', () => {
    /** Every migration this version ships (the same names for both providers). */
    const ALL = knownMigrations('sqlite').map((m) => m.name);

    it('reports a missing SQLite file without creating it', async () => {
      const target = tempSqliteUrl();
      try {
        expect(await migrationStatus(target.url)).toEqual({
          exists: false,
          applied: [],
          pending: ALL,
          edited: [],
          unknown: [],
        });
        expect(existsSync(sqlitePath(target.url))).toBe(false);
      } finally {
        await target.cleanup();
      }
    });

    it('tells applied, pending, edited and unknown migrations apart on SQLite', async () => {
      const target = tempSqliteUrl();
      const dir = mkdtempSync(join(tmpdir(), 'crm-migrations-'));
      try {
        await migrateDatabase(target.url);
        expect(await migrationStatus(target.url)).toEqual({
          exists: true,
          applied: ALL,
          pending: [],
          edited: [],
          unknown: [],
        });
        // A newer version of the code: one more migration in the folder.
        cpSync(migrationsDir('sqlite'), dir, { recursive: true });
        mkdirSync(join(dir, '20991231000000_later'));
        writeFileSync(join(dir, '20991231000000_later', 'migration.sql'), 'CREATE TABLE "Later" ("id" INTEGER);');
        expect(await migrationStatus(target.url, { dir })).toMatchObject({
          applied: ALL,
          pending: ['20991231000000_later'],
        });
        const raw = new Database(sqlitePath(target.url));
        raw.prepare('UPDATE _prisma_migrations SET checksum = ?').run('0'.repeat(64));
        raw
          .prepare(
            "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ('x', 'y', '2026-01-01', '20990101000000_from_the_future', 1)",
          )
          .run();
        raw.close();
        expect(await migrationStatus(target.url)).toEqual({
          exists: true,
          applied: [],
          pending: [],
          edited: ALL,
          unknown: ['20990101000000_from_the_future'],
        });
        // Nothing was applied by asking.
        expect((await migrationStatus(target.url, { dir })).pending).toEqual(['20991231000000_later']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await target.cleanup();
      }
    });

    it('reads PostgreSQL without creating the schema, then sees it migrated', async () => {
      const target = tempPostgresUrl();
      try {
        expect(await migrationStatus(target.url)).toEqual({
          exists: true,
          applied: [],
          pending: ALL,
          edited: [],
          unknown: [],
        });
        const { Client } = await import('pg');
        const client = new Client({ connectionString: target.url.split('?')[0] });
        await client.connect();
        const schema = new URL(target.url).searchParams.get('schema');
        const found = await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema]);
        await client.end();
        expect(found.rowCount).toBe(0);
        await migrateDatabase(target.url);
        expect(await migrationStatus(target.url)).toEqual({
          exists: true,
          applied: ALL,
          pending: [],
          edited: [],
          unknown: [],
        });
      } finally {
        await target.cleanup();
      }
    });

    it('throws, quickly, when PostgreSQL does not answer', async () => {
      await expect(migrationStatus('postgres://crm:pw@127.0.0.1:1/crm', { timeoutMs: 2000 })).rejects.toMatchObject({
        code: 'ECONNREFUSED',
      });
    });
  });
});
