import { Worker } from 'node:worker_threads';
import { SQLITE_BUSY_TIMEOUT_MS } from '../db/client';

/** What a SQLite file holds and whether SQLite finds it sound. */
export interface SqliteInspection {
  /** True when the file opened as a SQLite database and `PRAGMA integrity_check` answered "ok". */
  ok: boolean;
  /** integrity_check's complaints (or the error that stopped the check); empty when ok. */
  problems: string[];
  /** Rows per table (SQLite's own tables left out). */
  tableCounts: Record<string, number>;
  /** Applied migrations recorded in the file, in order; null when it has no migrations table. */
  migrations: { name: string; checksum: string }[] | null;
}

/**
 * Runs in a worker thread, so a backup or a check of a large file never blocks the app's
 * event loop (which also carries Prisma's SQLite calls). Plain JavaScript in a string: the
 * worker then runs the same under tsx, jest and the compiled build.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);

function inspect(path) {
  let db;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const problems = db.prepare('PRAGMA integrity_check').pluck().all().filter((r) => r !== 'ok');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
    const tableCounts = {};
    for (const t of tables) tableCounts[t] = db.prepare('SELECT COUNT(*) FROM "' + t.replace(/"/g, '""') + '"').pluck().get();
    const migrations = tables.includes('_prisma_migrations')
      ? db.prepare('SELECT migration_name AS name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name').all()
      : null;
    return { ok: problems.length === 0, problems, tableCounts, migrations };
  } catch (err) {
    return { ok: false, problems: [String(err && err.message || err)], tableCounts: {}, migrations: null };
  } finally {
    if (db) db.close();
  }
}

try {
  if (workerData.task === 'snapshot') {
    // One read transaction: the copy is the database as of one moment, while the app keeps writing.
    const source = new Database(workerData.source, { readonly: true, fileMustExist: true, timeout: workerData.busyTimeoutMs });
    try {
      source.prepare('VACUUM INTO ?').run(workerData.target);
    } finally {
      source.close();
    }
    parentPort.postMessage({ result: inspect(workerData.target) });
  } else {
    parentPort.postMessage({ result: inspect(workerData.target) });
  }
} catch (err) {
  parentPort.postMessage({ error: String(err && err.message || err) });
}
`;

type WorkerTask = { task: 'snapshot'; source: string; target: string } | { task: 'inspect'; target: string };

function runInWorker(task: WorkerTask): Promise<SqliteInspection> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { ...task, driver: require.resolve('better-sqlite3'), busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS },
    });
    let settled = false;
    worker.once('message', (m: { result?: SqliteInspection; error?: string }) => {
      settled = true;
      if (m.error !== undefined) reject(new Error(m.error));
      else resolve(m.result!);
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the SQLite worker stopped (exit code ${code}) before answering`));
    });
  });
}

/**
 * Copies the live database at `source` to a new file `target` with `VACUUM INTO` (a
 * consistent snapshot, compacted; the target must not exist), then checks the copy.
 * SQLite does not fsync what VACUUM INTO writes: the caller syncs the file before trusting it.
 */
export function snapshotSqlite(source: string, target: string): Promise<SqliteInspection> {
  return runInWorker({ task: 'snapshot', source, target });
}

/** Opens a file read-only and checks it: integrity, rows per table, recorded migrations. Never throws for a bad file. */
export function inspectSqliteFile(path: string): Promise<SqliteInspection> {
  return runInWorker({ task: 'inspect', target: path });
}
