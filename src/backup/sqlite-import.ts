import { bulkColumnTypeOf } from '../db/bulk-values';
import type { CrmDataImportPlan } from '../domain/crm-data';
import { CrmDataImportError } from '../domain/crm-data-encoding';
import type { FromImportWorker, SqliteImportData } from './sqlite-import-worker';
import { threadAnswer } from './thread-answer';

/**
 * Imports a CRM data export file into a migrated, empty SQLite database on a thread of its
 * own (sqlite-import-worker.ts), all or nothing: the file's parsing, every insert and the
 * one commit (seconds at 200,000 leads, and SQLite's checkpoint after it) never hold the
 * event loop. Throws CrmDataImportError for a file that cannot go in as it is (a row that does
 * not fit), Error when the thread failed or stopped; either way nothing was kept.
 */
export async function importFileInSqliteThread(data: SqliteImportData): Promise<void> {
  const answer = await threadAnswer<FromImportWorker>('sqlite-import-worker', data, IMPORT_THREAD_LIMITS);
  if (answer.op === 'refused') throw new CrmDataImportError(answer.message);
  if (answer.op === 'failed') throw new Error(`the import failed: ${answer.message}`);
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
