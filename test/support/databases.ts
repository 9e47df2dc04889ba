import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { type Database, openDatabase, sqlitePath } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';
import { keepSqliteFilesPrivate } from '../../src/db/private-files';

/**
 * The PostgreSQL server of this run: jest's global setup (global-setup.ts) picks
 * a configured, local or embedded one and passes it on in TEST_POSTGRES_URL.
 */
export function postgresBaseUrl(): string {
  const url = process.env.TEST_POSTGRES_URL;
  if (!url)
    throw new Error('TEST_POSTGRES_URL is unset: run the tests with jest, whose global setup provides PostgreSQL');
  return url;
}

export interface TestDatabaseUrl {
  url: string;
  /** Deletes the file or drops the schema. */
  cleanup(): Promise<void>;
}

/** A fresh SQLite file in its own temporary folder. */
export function tempSqliteUrl(): TestDatabaseUrl {
  const dir = mkdtempSync(join(tmpdir(), 'crm-test-'));
  return {
    url: `file:${join(dir, 'nested', 'crm.db')}`,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Where the run's migrated SQLite template is: jest's global setup migrates one file once
 * (global-setup.ts) and passes its path on in TEST_SQLITE_TEMPLATE.
 */
export const SQLITE_TEMPLATE_ENV = 'TEST_SQLITE_TEMPLATE';

/** Migrates a new SQLite file in its own temporary folder: the template copies are made of. */
export async function makeSqliteTemplate(): Promise<{ path: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-test-template-'));
  const path = join(dir, 'template.db');
  await migrateDatabase(`file:${path}`);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Outside jest (a benchmark importing these helpers): one template per process, made on first use. */
let processTemplate: Promise<string> | undefined;

function sqliteTemplate(): Promise<string> {
  const fromSetup = process.env[SQLITE_TEMPLATE_ENV];
  if (fromSetup && existsSync(fromSetup)) return Promise.resolve(fromSetup);
  processTemplate ??= makeSqliteTemplate().then((template) => {
    process.once('exit', template.remove);
    return template.path;
  });
  return processTemplate;
}

/**
 * A fresh SQLite file at the current migration level, in its own temporary folder: a copy of
 * the run's migrated template (a file copy takes about a millisecond, migrating one 40 to
 * 60 ms), with the folder and file modes the app gives its database.
 */
export async function migratedSqliteUrl(): Promise<TestDatabaseUrl> {
  const template = await sqliteTemplate();
  const target = tempSqliteUrl();
  const path = sqlitePath(target.url);
  keepSqliteFilesPrivate(path);
  copyFileSync(template, path);
  return target;
}

/** A fresh PostgreSQL schema on the run's server, so test files can run in parallel. */
export function tempPostgresUrl(): TestDatabaseUrl {
  const base = postgresBaseUrl();
  const schema = `crm_test_${randomBytes(6).toString('hex')}`;
  return {
    url: `${base}?schema=${schema}`,
    cleanup: async () => {
      const client = new Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

export type Provider = 'sqlite' | 'postgres';

/**
 * A fresh database of the given provider at the current migration level: a copy of the
 * migrated SQLite template, or a new PostgreSQL schema, migrated.
 */
export async function migratedDatabaseUrl(provider: Provider): Promise<TestDatabaseUrl> {
  if (provider === 'sqlite') return migratedSqliteUrl();
  const target = tempPostgresUrl();
  await migrateDatabase(target.url);
  return target;
}

/** A migrated, open database of the given provider, and its cleanup. */
export async function openTestDatabase(
  provider: Provider = 'sqlite',
): Promise<{ db: Database; url: string; cleanup(): Promise<void> }> {
  const target = await migratedDatabaseUrl(provider);
  const db = openDatabase(target.url);
  return {
    db,
    url: target.url,
    cleanup: async () => {
      await db.close();
      await target.cleanup();
    },
  };
}
