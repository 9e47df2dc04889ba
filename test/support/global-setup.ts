import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { COMPILED_WORKERS_ENV } from '../../src/worker-source';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

/** Where a developer's own PostgreSQL usually is (trust auth, database `test`). */
export const LOCAL_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Shared with global-teardown.ts, which jest runs in this same process. */
export const EMBEDDED_KEY = Symbol.for('crm.test.embeddedPostgres');
type WithEmbedded = typeof globalThis & { [EMBEDDED_KEY]?: EmbeddedPostgres };
export const SQLITE_TEMPLATE_KEY = Symbol.for('crm.test.sqliteTemplate');
type WithTemplate = typeof globalThis & { [SQLITE_TEMPLATE_KEY]?: { remove(): void } };

function say(line: string): void {
  process.stderr.write(`\n[test setup] ${line}\n`);
}

/** Fails fast with a helpful message when the Prisma clients were not generated. */
function checkGeneratedClients(): void {
  const root = join(__dirname, '..', '..');
  for (const p of ['src/generated/sqlite/client.ts', 'src/generated/postgres/client.ts']) {
    if (!existsSync(join(root, p))) {
      throw new Error(`${p} is missing: run \`npm test\` (it generates the Prisma clients) or \`npm run generate\``);
    }
  }
}

/** Why the local server cannot be used, or undefined when it can. */
async function localServerProblem(url: string): Promise<string | undefined> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    const e = error as { code?: string; message?: string };
    return e.code ?? e.message ?? String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Picks the PostgreSQL server the tests use and hands its URL to the test
 * workers through TEST_POSTGRES_URL (they inherit this process's environment):
 * - TEST_POSTGRES=embedded: always a fresh embedded server (what CI runs);
 * - TEST_POSTGRES_URL set: that server, as configured;
 * - otherwise the local server on 127.0.0.1:5432 if it answers, else an embedded one.
 */
async function choosePostgres(): Promise<void> {
  const mode = process.env.TEST_POSTGRES ?? '';
  if (mode !== '' && mode !== 'embedded' && mode !== 'auto') {
    throw new Error(`TEST_POSTGRES=${mode} is not understood: use "embedded" (always start one) or leave it unset`);
  }
  if (mode !== 'embedded') {
    if (process.env.TEST_POSTGRES_URL) return;
    const problem = await localServerProblem(LOCAL_POSTGRES_URL);
    if (problem === undefined) {
      process.env.TEST_POSTGRES_URL = LOCAL_POSTGRES_URL;
      return;
    }
    say(`No usable PostgreSQL on 127.0.0.1:5432 (${problem}): starting an embedded one.`);
  }
  const started = Date.now();
  const server = await startEmbeddedPostgres();
  (globalThis as WithEmbedded)[EMBEDDED_KEY] = server;
  process.env.TEST_POSTGRES_URL = server.url;
  const port = new URL(server.url).port;
  say(`Embedded PostgreSQL on 127.0.0.1:${port} (${server.dir}), ready in ${Date.now() - started} ms.`);
  // Teardown stops it; these cover a run that ends without teardown (a crash, a kill).
  process.once('exit', () => server.killNow());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      server.killNow();
      process.kill(process.pid, signal);
    });
  }
}

/**
 * Migrates the run's SQLite template once: tests that need a migrated SQLite file get a copy
 * of it (databases.ts, migratedSqliteUrl) instead of migrating one each.
 */
async function prepareSqliteTemplate(): Promise<void> {
  // Loaded here, after checkGeneratedClients: it loads the Prisma clients.
  const { makeSqliteTemplate, SQLITE_TEMPLATE_ENV } = await import('./databases');
  const template = await makeSqliteTemplate();
  (globalThis as WithTemplate)[SQLITE_TEMPLATE_KEY] = template;
  process.env[SQLITE_TEMPLATE_ENV] = template.path;
  process.once('exit', template.remove);
}

/**
 * Brings dist/ up to date (nothing to do after `npm test`'s checks or `npm run setup`; the swc
 * build otherwise, a second or two) and has the app's worker threads run its compiled worker
 * scripts (src/worker-source.ts): loading them through tsx in every thread costs more than the
 * work of most tests that start one. The process tests run dist/ as well.
 */
function useCompiledWorkers(): void {
  const root = join(__dirname, '..', '..');
  try {
    execFileSync(process.execPath, [join(root, 'scripts', 'prepare.mjs'), '--build'], { cwd: root, stdio: 'pipe' });
  } catch (error) {
    const e = error as { stderr?: Buffer; stdout?: Buffer; message: string };
    throw new Error(`scripts/prepare.mjs --build failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
  process.env[COMPILED_WORKERS_ENV] = join(root, 'dist');
}

export default async function globalSetup(): Promise<void> {
  checkGeneratedClients();
  useCompiledWorkers();
  await choosePostgres();
  await prepareSqliteTemplate();
}
