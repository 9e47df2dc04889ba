import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type Database, SQLITE_BUSY_TIMEOUT_MS, sqlitePath } from '../db/client';
import { csvRecord, UTF8_BOM } from '../domain/csv';
import {
  type CsvOptions,
  type ExportRequest,
  exportWhere,
  leadExportCsvPieces,
  leadExportPages,
} from '../domain/lead-export';
import { csvHeader } from '../domain/lead-export-csv';
import type { FromLeadCsvWorker, LeadCsvWorkerData, ToLeadCsvWorker } from './lead-csv-worker';

/**
 * A lead export's CSV as text pieces, for spoolToTempFile. On SQLite the rows are read and
 * written as CSV by a thread of the export's own (lead-csv-worker.ts): every query there runs
 * synchronously, and Prisma's objects for a page and their text were the event loop's
 * longest blocks and most of the export's garbage. On PostgreSQL the queries are already
 * asynchronous: the pages come through Prisma and are written in slices (leadExportCsvPieces).
 * Either way the bytes are the same. `tally.rows` counts the leads written.
 */
export function leadExportCsvStream(
  db: Pick<Database, 'prisma' | 'provider' | 'url'>,
  request: ExportRequest,
  currencies: readonly string[],
  options: CsvOptions,
  tally: { rows: number },
): AsyncGenerator<string> {
  if (db.provider === 'sqlite') return leadCsvOffLoop(sqlitePath(db.url), request, currencies, options, tally);
  return leadExportCsvPieces(leadExportPages(db.prisma, request), currencies, options, tally);
}

/** Leads per page in the thread: its text is one piece (about 120 KB), at most two wait. */
const WORKER_PAGE_ROWS = 1_000;

/** The thread's heap: a page of rows and its text at a time. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 4 };

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
  // Compiled, the worker is lead-csv-worker.js beside this file; run from TypeScript (tsx,
  // tests), it is loaded through tsx's require hook.
  const script = join(__dirname, `lead-csv-worker${__filename.endsWith('.ts') ? '.ts' : '.js'}`);
  const source = __filename.endsWith('.ts')
    ? `require('tsx/cjs/api').register(); require(${JSON.stringify(script)});`
    : `require(${JSON.stringify(script)});`;
  const worker = new Worker(source, { eval: true, workerData: data, resourceLimits: WORKER_LIMITS });
  const arrived: FromLeadCsvWorker[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const woken = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (msg: FromLeadCsvWorker) => {
    arrived.push(msg);
    woken();
  });
  worker.on('error', (err) => {
    failure ??= err;
    woken();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the export thread stopped (exit code ${code})`);
    woken();
  });
  try {
    for (;;) {
      const msg = arrived.shift();
      if (!msg) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      if (msg.op === 'done') return;
      if (msg.op === 'failed') throw new Error(`the export could not be read: ${msg.message}`);
      tally.rows += msg.rows;
      yield msg.text;
      // Resumed: the consumer has taken the piece (spoolToTempFile waits for the disk first).
      worker.postMessage({ op: 'written' } satisfies ToLeadCsvWorker);
    }
  } finally {
    worker.removeAllListeners('exit');
    await worker.terminate();
  }
}
