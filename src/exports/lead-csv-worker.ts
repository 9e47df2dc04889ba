import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { type LeadExportKeyset, type LeadExportWhere, SqliteLeadExportPages } from '../db/lead-export-sql';
import { type CsvOptions, csvRecordsOf } from '../domain/lead-export-csv';

/**
 * The thread behind leadCsvOffLoop (lead-csv-off-loop.ts): reads a SQLite export's leads a
 * page at a time on a read-only connection of its own and turns them into CSV text here, so
 * the event loop that serves Slack only writes finished text to the file. It sends a piece
 * per page and stops while PIECES_IN_FLIGHT pieces wait to be written (the main thread says
 * when one is): the file's pace, never a queue of the whole book.
 */
export interface LeadCsvWorkerData {
  path: string;
  busyTimeoutMs: number;
  where: LeadExportWhere;
  currencies: string[];
  options: CsvOptions;
  pageSize: number;
}

export type ToLeadCsvWorker = { op: 'written' };

export type FromLeadCsvWorker =
  | { op: 'piece'; text: string; rows: number }
  | { op: 'done' }
  | { op: 'failed'; message: string };

/** Pieces sent and not yet written: at most this many pages of text wait in memory. */
export const PIECES_IN_FLIGHT = 2;

const data = workerData as LeadCsvWorkerData;
const port = parentPort!;
let inFlight = 0;
let written: (() => void) | null = null;

port.on('message', (msg: ToLeadCsvWorker) => {
  if (msg.op !== 'written') return;
  inFlight -= 1;
  written?.();
});

async function run(): Promise<void> {
  const db = new Database(data.path, { readonly: true, fileMustExist: true, timeout: data.busyTimeoutMs });
  try {
    const pages = new SqliteLeadExportPages(db, data.where);
    let after: LeadExportKeyset | null = null;
    for (;;) {
      const page = pages.page(after, data.pageSize);
      if (page.length === 0) break;
      while (inFlight >= PIECES_IN_FLIGHT) {
        await new Promise<void>((resolve) => {
          written = resolve;
        });
      }
      written = null;
      inFlight += 1;
      port.postMessage({
        op: 'piece',
        text: csvRecordsOf(page, data.currencies, data.options),
        rows: page.length,
      } satisfies FromLeadCsvWorker);
      if (page.length < data.pageSize) break;
      const last = page[page.length - 1]!;
      after = { cents: last.lifetimeUsdCents, customerId: last.customerId };
    }
  } finally {
    db.close();
  }
}

run().then(
  () => port.postMessage({ op: 'done' } satisfies FromLeadCsvWorker),
  (err: unknown) => port.postMessage({ op: 'failed', message: String((err as Error)?.message ?? err) }),
);
