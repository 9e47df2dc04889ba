import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrateDatabase, migrationsDir } from '../../src/db/migrate';
import { openDatabase, sqlitePath } from '../../src/db/client';
import { tempPostgresUrl, tempSqliteUrl } from '../support/databases';
import { toPostgresSchema } from '../../scripts/postgres-schema.cjs';

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
        data: { customerId: 'C1', name: 'ACME', markets: 'AE', orderCount: 1, lifetimeUsdCents: 9_007_199_254_740_993n, searchText: 'acme' },
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
    const names = (p: 'sqlite' | 'postgres') => require('node:fs').readdirSync(migrationsDir(p)).filter((n: string) => /^\d{14}_/.test(n));
    expect(names('postgres')).toEqual(names('sqlite'));
    const root = join(__dirname, '..', '..');
    const expected = toPostgresSchema(readFileSync(join(root, 'prisma/schema.prisma'), 'utf8'));
    expect(readFileSync(join(root, 'prisma/postgres/schema.prisma'), 'utf8')).toBe(expected);
  });
});
