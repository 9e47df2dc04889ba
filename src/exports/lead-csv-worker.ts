import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { type LeadExportKeyset, type LeadExportWhere, SqliteLeadExportPages } from '../db/lead-export-sql';
import { inSqliteReadSnapshot } from '../db/sqlite-read-snapshot';
import { type CsvOptions, csvRecordsOf } from '../domain/lead-export-csv';
import { endPieces, sendPiece } from './worker-pieces';

/**
 * The thread behind a SQLite lead export (lead-csv.ts): reads the leads a page at a time on a
 * read-only connection of its own and turns them into CSV text here, so the event loop that
 * serves Slack only writes finished text to the file (worker-pieces.ts: a couple of pages
 * wait at most).
 */
export interface LeadCsvWorkerData {
  path: string;
  busyTimeoutMs: number;
  where: LeadExportWhere;
  currencies: string[];
  options: CsvOptions;
  pageSize: number;
}

const data = workerData as LeadCsvWorkerData;

async function run(): Promise<void> {
  const db = new Database(data.path, { readonly: true, fileMustExist: true, timeout: data.busyTimeoutMs });
  try {
    // Every page in one snapshot: a lead written or moved meanwhile is never missed or written twice.
    await inSqliteReadSnapshot(db, async () => {
      const pages = new SqliteLeadExportPages(db, data.where);
      let after: LeadExportKeyset | null = null;
      for (;;) {
        const page = pages.page(after, data.pageSize);
        if (page.length === 0) break;
        await sendPiece({ text: csvRecordsOf(page, data.currencies, data.options), rows: page.length });
        if (page.length < data.pageSize) break;
        const last = page[page.length - 1]!;
        after = { cents: last.lifetimeUsdCents, customerId: last.customerId };
      }
    });
  } finally {
    db.close();
  }
}

endPieces(run());
