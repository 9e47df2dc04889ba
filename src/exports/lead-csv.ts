import { type Database, SQLITE_BUSY_TIMEOUT_MS, sqlitePath } from '../db/client';
import { piecesInPostgresSnapshot } from '../db/postgres-read-snapshot';
import { csvRecord, UTF8_BOM } from '../domain/csv';
import {
  type CsvOptions,
  type ExportRequest,
  exportWhere,
  leadExportCsvPieces,
  leadExportPages,
} from '../domain/lead-export';
import { csvHeader } from '../domain/lead-export-csv';
import type { LeadCsvWorkerData } from './lead-csv-worker';
import { piecesFromWorker } from './worker-pieces';

/**
 * A lead export's CSV as text pieces, for spoolToTempFile. On SQLite the rows are read and
 * written as CSV by a thread of the export's own (lead-csv-worker.ts): every query there runs
 * synchronously, and Prisma's objects for a page and their text were the event loop's
 * longest blocks and most of the export's garbage. On PostgreSQL the queries are already
 * asynchronous: the pages come through Prisma and are written in slices (leadExportCsvPieces).
 * Either way the bytes are the same, and the pages are read in one snapshot (the thread's
 * read transaction; on PostgreSQL a REPEATABLE READ transaction), so a lead written or moved
 * during the export is never missed or written twice. `tally.rows` counts the leads written.
 */
export function leadExportCsvStream(
  db: Pick<Database, 'prisma' | 'provider' | 'url'>,
  request: ExportRequest,
  currencies: readonly string[],
  options: CsvOptions,
  tally: { rows: number },
): AsyncGenerator<string> {
  if (db.provider === 'sqlite') return leadCsvOffLoop(sqlitePath(db.url), request, currencies, options, tally);
  return piecesInPostgresSnapshot(db.prisma, (snapshot) =>
    leadExportCsvPieces(leadExportPages(snapshot, request), currencies, options, tally),
  );
}

/** Leads per page in the thread: its text is one piece (about 120 KB). */
const WORKER_PAGE_ROWS = 1_000;

async function* leadCsvOffLoop(
  path: string,
  request: ExportRequest,
  currencies: readonly string[],
  options: CsvOptions,
  tally: { rows: number },
): AsyncGenerator<string> {
  yield UTF8_BOM + csvRecord(csvHeader(currencies, options.timeZone));
  const data: LeadCsvWorkerData = {
    path,
    busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS,
    where: exportWhere(request),
    currencies: [...currencies],
    options: { stageLabels: options.stageLabels, timeZone: options.timeZone, ownerNames: new Map(options.ownerNames) },
    pageSize: Math.min(request.pageSize ?? WORKER_PAGE_ROWS, WORKER_PAGE_ROWS),
  };
  for await (const piece of piecesFromWorker('lead-csv-worker', data)) {
    tally.rows += piece.rows;
    yield piece.text;
  }
}
