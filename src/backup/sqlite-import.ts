import { Worker } from 'node:worker_threads';
import { bulkColumnTypeOf } from '../db/bulk-values';
import type { CrmDataImportPlan } from '../domain/crm-data';
import { CrmDataImportError } from '../domain/crm-data-encoding';
import { workerSource } from '../worker-source';
import type { FromImportWorker, SqliteImportData } from './sqlite-import-worker';

/**
 * Imports a CRM data export file into a migrated, empty SQLite database on a thread of its
 * own (sqlite-import-worker.ts), all or nothing: the file's parsing, every insert and the
 * one commit (seconds at 200,000 leads, and SQLite's checkpoint after it) never hold the
 * event loop. Throws CrmDataImportError for a file that cannot go in as it is (a row that does
 * not fit), Error when the thread failed or stopped; either way nothing was kept.
 */
export function importFileInSqliteThread(data: SqliteImportData): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const worker = new Worker(workerSource(__filename, 'sqlite-import-worker'), {
      eval: true,
      workerData: data,
      resourceLimits: IMPORT_THREAD_LIMITS,
    });
    let settled = false;
    const settle = (err: Error | null) => {
      if (settled) return;
      settled = true;
      // Ends the thread (and its connection: an open transaction is rolled back) before answering.
      void worker.terminate().then(() => (err ? reject(err) : resolve()));
    };
    worker.on('message', (msg: FromImportWorker) => {
      if (msg.op === 'done') settle(null);
      else if (msg.op === 'refused') settle(new CrmDataImportError(msg.message));
      else settle(new Error(`the import failed: ${msg.message}`));
    });
    worker.on('error', (err) => settle(new Error(`the import thread failed: ${err.message}`)));
    worker.on('exit', (code) => settle(new Error(`the import thread stopped before it finished (exit code ${code})`)));
  });
}

/** Whether every field of the plan's tables has a type the thread's inserts carry (otherwise Prisma's path imports it). */
export function importableInSqliteThread(plan: CrmDataImportPlan): boolean {
  return plan.tables.every((t) => t.fields.every(([, type]) => bulkColumnTypeOf(type) !== null));
}

/**
 * The thread's heap: a read buffer, a batch of rows and its JSON at a time. Small, because
 * V8 lets garbage grow up to the limit before collecting it, and that garbage is resident memory.
 */
const IMPORT_THREAD_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 };
