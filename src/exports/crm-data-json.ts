import { type Database, SQLITE_BUSY_TIMEOUT_MS, sqlitePath } from '../db/client';
import { piecesInPostgresSnapshot } from '../db/postgres-read-snapshot';
import { SQLITE_PAGE_TYPES } from '../db/table-pages-sql';
import {
  crmDataExportHead,
  crmDataExportPieces,
  crmDataExportPlan,
  crmDataExportTail,
  type ExportedTable,
} from '../domain/crm-data';
import type { CrmDataWorkerData } from './crm-data-worker';
import { piecesFromWorker } from './worker-pieces';

/**
 * The CRM data export (every table as JSON) as text pieces, for spoolToTempFile. On SQLite
 * the tables are read and written as JSON by a thread of the export's own
 * (crm-data-worker.ts), as the lead export's CSV is (lead-csv.ts): the event loop only writes
 * the text. On PostgreSQL, or when a table has a field type that thread does not read, the
 * pages come through Prisma (crmDataExportPieces). The document is the same either way, and
 * is read in one snapshot (the thread's read transaction; on PostgreSQL a REPEATABLE READ
 * transaction), so rows written during the export are all in it or all out of it.
 * `tally` gets the migration and the rows written per table.
 */
export function crmDataExportStream(
  db: Pick<Database, 'prisma' | 'provider' | 'url'>,
  now: Date,
  tally: { rowCounts: Record<string, number>; migration: string },
): AsyncGenerator<string> {
  if (db.provider === 'sqlite') return crmDataOffLoop(db, now, tally);
  return piecesInPostgresSnapshot(db.prisma, (snapshot) => crmDataExportPieces(snapshot, now, tally));
}

/** Rows per page in the thread: a page's text is one piece. */
const WORKER_PAGE_ROWS = 500;

const readableInThread = (t: ExportedTable) => t.fields.every(([, type]) => SQLITE_PAGE_TYPES.includes(type));

async function* crmDataOffLoop(
  db: Pick<Database, 'prisma' | 'provider' | 'url'>,
  now: Date,
  tally: { rowCounts: Record<string, number>; migration: string },
): AsyncGenerator<string> {
  const plan = await crmDataExportPlan(db.prisma);
  if (!plan.tables.every(readableInThread)) {
    yield* crmDataExportPieces(db.prisma, now, tally);
    return;
  }
  tally.migration = plan.migration;
  for (const { model } of plan.tables) tally.rowCounts[model] = 0;
  yield crmDataExportHead(now, plan.migration);
  const data: CrmDataWorkerData = {
    path: sqlitePath(db.url),
    busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS,
    tables: plan.tables,
    pageRows: WORKER_PAGE_ROWS,
  };
  for await (const piece of piecesFromWorker('crm-data-worker', data)) {
    tally.rowCounts[piece.table!] = (tally.rowCounts[piece.table!] ?? 0) + piece.rows;
    yield piece.text;
  }
  yield crmDataExportTail(tally.rowCounts);
}
