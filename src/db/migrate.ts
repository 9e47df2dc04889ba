import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Client as PgClient } from 'pg';
import { postgresConnectionString, postgresSchemaOf, providerOf, SQLITE_BUSY_TIMEOUT_MS, sqlitePath } from './client';
import { SQLITE_LEAD_FIGURES_REPAIR } from './lead-figures';
import { keepSqliteFilesPrivate } from './private-files';
import { SQLITE_SEARCH_INDEX_REPAIR, SQLITE_SEARCH_TABLE } from './search-index';
import { SQLITE_DATA_VERSION_REPAIR, SQLITE_DATA_VERSION_TABLE } from './sqlite-data-version';
import { SQLITE_STAGE_TOTALS_REPAIR, SQLITE_STAGE_TOTALS_TABLE } from './stage-totals';

/** The PostgreSQL driver, loaded only when a PostgreSQL database is migrated (a SQLite deployment never loads it). */
function newPgClient(config: ConstructorParameters<typeof PgClient>[0]): PgClient {
  const { Client } = require('pg') as typeof import('pg');
  return new Client(config);
}

/**
 * Applies the committed migrations (prisma/migrations for SQLite, prisma/postgres/migrations
 * for PostgreSQL) in order, each in a transaction, recording them in Prisma's own
 * `_prisma_migrations` table so `prisma migrate status` agrees.
 *
 * Why not `prisma migrate deploy`: on PostgreSQL the JS schema engine of Prisma 6.19 fails
 * ("Column type 'name' could not be deserialized"), and the runtime image should not need
 * the Prisma CLI. The SQL files themselves are written by `prisma migrate diff`.
 */
export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

const projectRoot = join(__dirname, '..', '..');

export function migrationsDir(provider: 'sqlite' | 'postgres'): string {
  return join(projectRoot, provider === 'sqlite' ? 'prisma/migrations' : 'prisma/postgres/migrations');
}

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

function readMigrations(dir: string): MigrationFile[] {
  if (!existsSync(dir)) throw new Error(`No migrations folder at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** The migrations this version of the code ships, in order: what a database or backup may be at. */
export function knownMigrations(provider: 'sqlite' | 'postgres'): { name: string; checksum: string }[] {
  return readMigrations(migrationsDir(provider)).map(({ name, checksum }) => ({ name, checksum }));
}

/** Migrations not yet applied, in order; refuses when an applied one was edited since. */
function pendingMigrations(
  migrations: MigrationFile[],
  applied: { migration_name: string; checksum: string }[],
): MigrationFile[] {
  const done = new Map(applied.map((r) => [r.migration_name, r.checksum]));
  return migrations.filter((m) => {
    const seen = done.get(m.name);
    if (seen !== undefined && seen !== m.checksum)
      throw new Error(`Migration ${m.name} was edited after it was applied (checksum differs)`);
    return seen === undefined;
  });
}

const APPLIED_SQL =
  'SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';

/** Where a database stands against the committed migrations, read without changing anything. */
export interface MigrationStatus {
  /** False when the SQLite file does not exist yet: the first start creates it. */
  exists: boolean;
  applied: string[];
  /** Not applied yet, in order: the next start (or `npm run db:migrate`) applies them. */
  pending: string[];
  /** Applied, but the file changed since: the app refuses to start. */
  edited: string[];
  /** Recorded as applied but absent from the migrations folder: a newer version of the app migrated it. */
  unknown: string[];
}

/**
 * Compares the database with the migrations folder, read-only: opens SQLite read-only and
 * never creates the file, the schema or the `_prisma_migrations` table. Throws when the
 * database does not answer.
 */
export async function migrationStatus(
  url: string,
  options: { dir?: string; timeoutMs?: number } = {},
): Promise<MigrationStatus> {
  const provider = providerOf(url);
  const migrations = readMigrations(options.dir ?? migrationsDir(provider));
  const applied = provider === 'sqlite' ? appliedSqlite(url) : await appliedPostgres(url, options.timeoutMs ?? 5000);
  if (applied === null)
    return { exists: false, applied: [], pending: migrations.map((m) => m.name), edited: [], unknown: [] };
  const done = new Map(applied.map((r) => [r.migration_name, r.checksum]));
  const known = new Set(migrations.map((m) => m.name));
  return {
    exists: true,
    applied: migrations.filter((m) => done.get(m.name) === m.checksum).map((m) => m.name),
    pending: migrations.filter((m) => !done.has(m.name)).map((m) => m.name),
    edited: migrations.filter((m) => done.has(m.name) && done.get(m.name) !== m.checksum).map((m) => m.name),
    unknown: [...done.keys()].filter((name) => !known.has(name)).sort(),
  };
}

type AppliedRow = { migration_name: string; checksum: string };

/** The applied migrations of a SQLite file; null when the file does not exist. */
function appliedSqlite(url: string): AppliedRow[] | null {
  const path = sqlitePath(url);
  if (!existsSync(path)) return null;
  const db = new Database(path, { readonly: true, fileMustExist: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    const table = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'")
      .get();
    return table ? (db.prepare(APPLIED_SQL).all() as AppliedRow[]) : [];
  } finally {
    db.close();
  }
}

async function appliedPostgres(url: string, timeoutMs: number): Promise<AppliedRow[]> {
  const schema = postgresSchemaOf(url);
  const client = newPgClient({
    connectionString: postgresConnectionString(url),
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  // An unreachable server answers through connect(); an error event after that must not crash the caller.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const ident = `"${schema.replace(/"/g, '""')}"`;
    const { rows } = await client.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [
      `${ident}."_prisma_migrations"`,
    ]);
    if (!rows[0]?.found) return [];
    return (
      await client.query<AppliedRow>(
        APPLIED_SQL.replace('FROM _prisma_migrations', `FROM ${ident}."_prisma_migrations"`),
      )
    ).rows;
  } finally {
    await client.end();
  }
}

export async function migrateDatabase(url: string): Promise<MigrationResult> {
  const provider = providerOf(url);
  const migrations = readMigrations(migrationsDir(provider));
  return provider === 'sqlite' ? migrateSqlite(url, migrations) : migratePostgres(url, migrations);
}

const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`;

/** Applies `todo` in order and records each; then re-creates what a table redefinition dropped. Call inside a transaction. */
function applySqliteMigrations(db: Database.Database, todo: MigrationFile[]): string[] {
  const applied: string[] = [];
  for (const m of todo) {
    db.exec(m.sql);
    db.prepare(
      'INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)',
    ).run(randomUUID(), m.checksum, new Date().toISOString(), m.name, new Date().toISOString());
    applied.push(m.name);
  }
  // A migration that redefined a table dropped its triggers with the old table.
  const hasTable = (name: string) =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
  if (applied.length && hasTable(SQLITE_SEARCH_TABLE)) db.exec(SQLITE_SEARCH_INDEX_REPAIR);
  if (applied.length && hasTable(SQLITE_STAGE_TOTALS_TABLE)) db.exec(SQLITE_STAGE_TOTALS_REPAIR);
  const hasLeadFigures = () => db.prepare(`SELECT 1 FROM pragma_table_info('Lead') WHERE name = 'lastOrderAt'`).get();
  if (applied.length && hasLeadFigures()) db.exec(SQLITE_LEAD_FIGURES_REPAIR);
  if (applied.length && hasTable(SQLITE_DATA_VERSION_TABLE)) db.exec(SQLITE_DATA_VERSION_REPAIR);
  return applied;
}

function migrateSqlite(url: string, migrations: MigrationFile[]): MigrationResult {
  const path = sqlitePath(url);
  keepSqliteFilesPrivate(path);
  const db = new Database(path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    // WAL lets the Home tab read while sync and follow-ups write; it persists in the file.
    db.pragma('journal_mode = WAL');
    db.exec(SQLITE_MIGRATIONS_TABLE);
    let applied: string[] = [];
    // IMMEDIATE takes the write lock first, so two processes starting together migrate once.
    const run = db.transaction(() => {
      const todo = pendingMigrations(
        migrations,
        db.prepare(APPLIED_SQL).all() as { migration_name: string; checksum: string }[],
      );
      applied = applySqliteMigrations(db, todo);
    });
    run.immediate();
    return { applied, alreadyApplied: migrations.length - applied.length };
  } finally {
    db.close();
  }
}

/**
 * A new in-memory SQLite database migrated exactly to `names` (in that order), as the
 * migrator would have made it: what a database at that migration level must look like.
 * The caller closes it. Throws when a name is not a migration this code ships.
 */
export function freshSqliteAt(names: readonly string[]): Database.Database {
  const shipped = new Map(readMigrations(migrationsDir('sqlite')).map((m) => [m.name, m]));
  const todo = names.map((name) => {
    const m = shipped.get(name);
    if (!m) throw new Error(`Migration ${name} is not one this version ships`);
    return m;
  });
  const db = new Database(':memory:');
  try {
    db.exec(SQLITE_MIGRATIONS_TABLE);
    db.transaction(() => applySqliteMigrations(db, todo))();
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

async function migratePostgres(url: string, migrations: MigrationFile[]): Promise<MigrationResult> {
  const schema = postgresSchemaOf(url);
  const client = newPgClient({ connectionString: postgresConnectionString(url) });
  await client.connect();
  try {
    const ident = `"${schema.replace(/"/g, '""')}"`;
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident}`);
    await client.query(`SET search_path TO ${ident}`);
    // One migrator at a time across every app instance on this database.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`crm-migrate:${schema}`]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(APPLIED_SQL);
    const applied: string[] = [];
    for (const m of pendingMigrations(migrations, rows)) {
      // The generated SQL creates "public"; tables go to the search path's schema.
      const sql = m.sql.replace(/^CREATE SCHEMA IF NOT EXISTS "public";$/m, '');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query(
          'INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, now(), 1)',
          [randomUUID(), m.checksum, m.name],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`);
      }
      applied.push(m.name);
    }
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`crm-migrate:${schema}`]);
    return { applied, alreadyApplied: migrations.length - applied.length };
  } finally {
    await client.end();
  }
}
