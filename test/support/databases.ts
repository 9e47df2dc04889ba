import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { type Database, openDatabase } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';

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

/** A migrated, open database of the given provider, and its cleanup. */
export async function openTestDatabase(
  provider: Provider = 'sqlite',
): Promise<{ db: Database; url: string; cleanup(): Promise<void> }> {
  const target = provider === 'sqlite' ? tempSqliteUrl() : tempPostgresUrl();
  await migrateDatabase(target.url);
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
