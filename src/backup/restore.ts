import { closeSync, copyFileSync, existsSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { yieldToEventLoop } from '../cooperative';
import { openDatabase, providerOf, SQLITE_BUSY_TIMEOUT_MS, sqlitePath } from '../db/client';
import { INSTANCE_HEARTBEAT_TTL_MS, liveInstances } from '../db/instance-heartbeat';
import { knownMigrations, migrateDatabase } from '../db/migrate';
import { ensurePrivateDir, makePrivate } from '../db/private-files';
import { differencesFromMigrations } from '../db/sqlite-schema';
import {
  CrmDataImportError,
  type CrmDataSource,
  crmDataImportPlan,
  importCrmDataFrom,
  parseCrmDataSkeleton,
} from '../domain/crm-data';
import { fsyncDir, fsyncFile, readManifest, sha256OfFile } from './backup-files';
import { checkCrmDataFile } from './crm-data-check';
import { type CrmDataSkeleton, CrmDataSyntaxError, readCrmDataFile } from './crm-data-reader';
import { importableInSqliteThread, importFileInSqliteThread } from './sqlite-import';
import { inspectSqliteFile, type SqliteInspection } from './sqlite-snapshot';

/** A restore that must not go ahead; the message is for the person running it. Nothing was changed. */
export class RestoreRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefusedError';
  }
}

export interface RestoreOptions {
  /** A backup (`.db`, SQLite) or a CRM data export (`.json`). */
  file: string;
  databaseUrl: string;
  now: Date;
  /** Progress lines for the person running it. */
  say?: (line: string) => void;
}

export interface RestoreReport {
  kind: 'sqlite-backup' | 'data-export';
  /** Where the replaced database file was kept, if there was one (SQLite). */
  setAside: string | null;
  /** Migrations applied after the restore, to bring the data up to this version. */
  migrated: string[];
  rowCounts: Record<string, number>;
}

const SIDE_FILES = ['', '-wal', '-shm'];

/** Restores a backup or imports a data export, whichever `file` is. */
export async function restoreFromFile(options: RestoreOptions): Promise<RestoreReport> {
  if (!existsSync(options.file)) throw new RestoreRefusedError(`There is no file at ${options.file}.`);
  return looksLikeJson(options.file) ? importDataExport(options) : restoreSqliteBackup(options);
}

function looksLikeJson(file: string): boolean {
  if (file.toLowerCase().endsWith('.json')) return true;
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(64);
    const n = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n).toString('utf8').trimStart().startsWith('{');
  } finally {
    closeSync(fd);
  }
}

/** At most this many schema differences are named in a refusal; the rest are counted. */
const DIFFERENCES_SHOWN = 5;

/**
 * Checks a backup file before anything is replaced: it must be sound (its manifest's checksum
 * when it has one, then SQLite's integrity check), at a migration level this code knows, and
 * have exactly the schema those migrations make: every table, column, index, trigger and
 * view, nothing more. A trigger or table added to a copied file is refused, named.
 */
export async function checkBackupFile(file: string): Promise<SqliteInspection> {
  const name = basename(file);
  const manifest = readManifest(file);
  if (manifest && (await sha256OfFile(file)) !== manifest.sha256) {
    throw new RestoreRefusedError(
      `${name} does not match its manifest (its checksum differs): the file changed or was damaged after the backup was taken.`,
    );
  }
  const inspection = await inspectSqliteFile(file);
  if (!inspection.ok) {
    const problems = inspection.problems
      .slice(0, 3)
      .join('; ')
      .replace(/\*\*\* in database \w+ \*\*\*\s*/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    throw new RestoreRefusedError(
      `${name} is corrupt or not a SQLite database, so it was not restored (SQLite says: ${problems}).`,
    );
  }
  if (!inspection.migrations)
    throw new RestoreRefusedError(`${name} is a SQLite database but not a CRM one (it has no migration history).`);
  const known = new Map(knownMigrations('sqlite').map((m) => [m.name, m.checksum]));
  const newer = inspection.migrations.filter((m) => !known.has(m.name)).map((m) => m.name);
  if (newer.length) {
    throw new RestoreRefusedError(
      `${name} was made by a newer version of the CRM: it has migration${newer.length > 1 ? 's' : ''} ${newer.join(', ')} that this version does not know. Upgrade the CRM, then restore it.`,
    );
  }
  const edited = inspection.migrations.filter((m) => known.get(m.name) !== m.checksum).map((m) => m.name);
  if (edited.length) {
    throw new RestoreRefusedError(
      `${name} applied a different version of migration ${edited.join(', ')} than this code ships; restore it with the version of the CRM that made it.`,
    );
  }
  const differences = differencesFromMigrations(
    file,
    inspection.migrations.map((m) => m.name),
  );
  if (differences.length) {
    const shown = differences.slice(0, DIFFERENCES_SHOWN).join('; ');
    const more = differences.length > DIFFERENCES_SHOWN ? `; and ${differences.length - DIFFERENCES_SHOWN} more` : '';
    throw new RestoreRefusedError(
      `${name} does not have the schema its migrations make, so it was not restored: ${shown}${more}. A backup the CRM took has exactly that schema: this file was changed after it was taken. Restore another backup.`,
    );
  }
  return inspection;
}

/** Refuses when an app instance has renewed its heartbeat in the target database recently. */
async function refuseIfAppRunning(databaseUrl: string, now: Date, say: (line: string) => void): Promise<void> {
  if (providerOf(databaseUrl) === 'sqlite' && !existsSync(sqlitePath(databaseUrl))) return;
  const db = openDatabase(databaseUrl);
  try {
    const live = await liveInstances(db.prisma, now);
    if (live.length) {
      const latest = Math.max(...live.map((i) => i.renewedAt.getTime()));
      const ago = Math.max(0, Math.round((now.getTime() - latest) / 1000));
      throw new RestoreRefusedError(
        `The CRM app is running on this database (${live.length} instance${live.length > 1 ? 's' : ''}; last heartbeat ${ago} s ago). ` +
          `Stop every instance first, then restore. If the app crashed, its heartbeat expires within ${INSTANCE_HEARTBEAT_TTL_MS / 1000} s.`,
      );
    }
  } catch (err) {
    if (err instanceof RestoreRefusedError) throw err;
    // A damaged database is a reason to restore: say so, and go on.
    say(
      `Could not read the app's heartbeats from the current database (${(err as Error).message.split('\n').at(-1)}). Make sure no app instance uses it.`,
    );
  } finally {
    // The last connection to close folds the WAL into the file, so the file set aside is complete on its own.
    await db.close();
  }
}

function stampOf(now: Date): string {
  return now.toISOString().replace(/[-:.]/g, '');
}

/** Litestream's bookkeeping for the file: it does not notice a replaced database, so it must start afresh. */
function litestreamDirOf(path: string): string {
  return join(dirname(path), `.${basename(path)}-litestream`);
}

/** Moves the database file (and any WAL/shared-memory file, and Litestream's folder) aside; returns the new name of the main file. */
function setAside(path: string, now: Date, say: (line: string) => void): string | null {
  if (!existsSync(path)) return null;
  const aside = `${path}.before-restore-${stampOf(now)}`;
  for (const suffix of SIDE_FILES) {
    if (!existsSync(path + suffix)) continue;
    renameSync(path + suffix, aside + suffix);
    makePrivate(aside + suffix);
  }
  const litestream = litestreamDirOf(path);
  if (existsSync(litestream)) {
    renameSync(litestream, litestreamDirOf(aside));
    say(
      `Litestream's folder for the old database was moved aside too; Litestream starts a new generation when it runs again.`,
    );
  }
  fsyncDir(dirname(path));
  return aside;
}

function putBack(aside: string | null, path: string): void {
  for (const suffix of SIDE_FILES) rmSync(path + suffix, { force: true });
  if (!aside) return;
  for (const suffix of SIDE_FILES) if (existsSync(aside + suffix)) renameSync(aside + suffix, path + suffix);
  if (existsSync(litestreamDirOf(aside))) renameSync(litestreamDirOf(aside), litestreamDirOf(path));
}

/**
 * The copy was taken from a running app: its leases and heartbeats (the backup's own lease
 * among them), its unfinished backup run and the Slack requests it had seen describe processes that are gone.
 */
async function forgetRunningState(databaseUrl: string, now: Date): Promise<void> {
  const db = openDatabase(databaseUrl);
  try {
    await db.prisma.jobLease.deleteMany({});
    await db.prisma.seenSlackRequest.deleteMany({});
    await db.prisma.backupRun.updateMany({
      where: { status: 'running' },
      data: { status: 'failed', finishedAt: now, error: 'unfinished in the backup this database was restored from' },
    });
  } finally {
    await db.close();
  }
}

async function restoreSqliteBackup(options: RestoreOptions): Promise<RestoreReport> {
  const say = options.say ?? (() => undefined);
  if (providerOf(options.databaseUrl) !== 'sqlite') {
    throw new RestoreRefusedError(
      'DATABASE_URL points at PostgreSQL, and this file is a SQLite backup. Restore PostgreSQL with pg_restore, or move the data over with a CRM data export (JSON).',
    );
  }
  const inspection = await checkBackupFile(options.file);
  say(
    `${basename(options.file)} is sound: ${Object.keys(inspection.tableCounts).length} tables, migration ${inspection.migrations!.at(-1)?.name ?? 'none'}.`,
  );
  await refuseIfAppRunning(options.databaseUrl, options.now, say);
  const path = sqlitePath(options.databaseUrl);
  ensurePrivateDir(dirname(path));
  const aside = setAside(path, options.now, say);
  if (aside) say(`The current database was kept as ${aside}.`);
  try {
    const incoming = `${path}.restoring`;
    copyFileSync(options.file, incoming);
    makePrivate(incoming); // the copy took the backup file's mode
    fsyncFile(incoming);
    renameSync(incoming, path);
    fsyncDir(dirname(path));
  } catch (err) {
    putBack(aside, path);
    throw err;
  }
  const migrated = (await migrateDatabase(options.databaseUrl)).applied;
  await forgetRunningState(options.databaseUrl, options.now);
  return { kind: 'sqlite-backup', setAside: aside, migrated, rowCounts: inspection.tableCounts };
}

/**
 * Imports the checked export into the migrated, empty database. SQLite: on a thread of its own
 * (sqlite-import.ts), whose commit writes the whole import; PostgreSQL (or a field type that
 * thread does not carry): through Prisma, whose statements and commit on PostgreSQL do not
 * hold the event loop.
 */
async function importInto(
  databaseUrl: string,
  file: string,
  source: CrmDataSource,
): Promise<{ rowCounts: Record<string, number> }> {
  const db = openDatabase(databaseUrl);
  try {
    await yieldToEventLoop();
    if (db.provider === 'sqlite') {
      const plan = await crmDataImportPlan(db.prisma, source);
      if (importableInSqliteThread(plan)) {
        // The thread's connection is the only one writing; Prisma's is closed first.
        await db.close();
        await importFileInSqliteThread({
          file,
          path: sqlitePath(databaseUrl),
          busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS,
          ...plan,
        });
        return { rowCounts: source.doc.rowCounts };
      }
    }
    return await importCrmDataFrom(db.prisma, source);
  } finally {
    await db.close();
  }
}

async function importDataExport(options: RestoreOptions): Promise<RestoreReport> {
  const say = options.say ?? (() => undefined);
  // Read through once to check it (rows are counted, not kept), before anything is changed: on a thread.
  let skeleton: CrmDataSkeleton;
  try {
    skeleton = await checkCrmDataFile(options.file);
  } catch (err) {
    if (!(err instanceof CrmDataSyntaxError)) throw err;
    throw new RestoreRefusedError(`${basename(options.file)} is not valid JSON (${(err as Error).message}).`);
  }
  const doc = (() => {
    try {
      return parseCrmDataSkeleton(skeleton.document, skeleton.found);
    } catch (err) {
      if (err instanceof CrmDataImportError) throw new RestoreRefusedError(err.message);
      throw err;
    }
  })();
  const source: CrmDataSource = {
    doc,
    tableOrder: skeleton.tableOrder,
    read: async (onRows, tables) => {
      await readCrmDataFile(options.file, onRows, tables);
    },
  };
  const provider = providerOf(options.databaseUrl);
  const known = knownMigrations(provider).map((m) => m.name);
  if (!known.includes(doc.migration)) {
    throw new RestoreRefusedError(
      `The export was made by a newer version of the CRM (migration ${doc.migration}, unknown here). Upgrade the CRM, then import it.`,
    );
  }
  if (doc.migration !== known.at(-1)) {
    throw new RestoreRefusedError(
      `The export was made at migration ${doc.migration}; this version is at ${known.at(-1)}. Import it with the version of the CRM whose last migration is ${doc.migration}, then start this version: it migrates the data.`,
    );
  }
  // PostgreSQL: an empty schema gets its tables first, so the heartbeat check can read them.
  if (provider === 'postgres') await migrateDatabase(options.databaseUrl);
  await refuseIfAppRunning(options.databaseUrl, options.now, say);

  // SQLite: import into a new file where the database lives, keeping the current one aside.
  const path = provider === 'sqlite' ? sqlitePath(options.databaseUrl) : null;
  const aside = path ? setAside(path, options.now, say) : null;
  if (aside) say(`The current database was kept as ${aside}.`);
  try {
    // Turns between the steps that run on the calling thread (SQLite's schema, the new client).
    await yieldToEventLoop();
    await migrateDatabase(options.databaseUrl);
    await yieldToEventLoop();
    const { rowCounts } = await importInto(options.databaseUrl, options.file, source);
    return { kind: 'data-export', setAside: aside, migrated: [], rowCounts };
  } catch (err) {
    if (path) putBack(aside, path);
    if (err instanceof CrmDataImportError) throw new RestoreRefusedError(err.message);
    throw err;
  }
}
