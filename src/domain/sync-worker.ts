/**
 * The lead sync's worker thread: everything the sync does per row, away from the thread
 * that serves Slack. The main thread reads the Customers export from Metabase (auth, time
 * limits, retries stay in the Metabase client) and passes its bytes here; this thread parses
 * and validates the rows, adds them up per customer, makes the snapshots and, on SQLite,
 * compares them with the cache on a read-only connection of its own. Only the customers
 * that need writing go back, a chunk at a time when asked; the main thread writes them.
 * On PostgreSQL the chunks go back whole and the database compares them (one statement).
 *
 * The protocol (sync-worker-client.ts is the other side): `bytes`* (each answered by
 * `consumed`), `end` (answered by `ended`), `summarise` (answered by `summary`), then `next`
 * as often as needed (answered by `chunk` or `done`). `restart` starts the export over.
 * Any failure is answered by `failed` with its message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RateTable } from '../common/money';
import { openSqliteCompare } from '../db/customer-cache/sync-compare-rows';
import { CardExportReader } from '../production/card-export-reader';
import { CUSTOMERS_CARD } from '../production/card-schemas';
import type { CustomerCurrencyRow, ExportParseResult, RejectedRow } from '../production/types';
import { type CustomerSnapshot, CustomerSnapshotBuilder, customerFingerprint } from './customer-snapshots';

export interface SyncWorkerData {
  /** The database file to compare against on a connection of this thread's own, or null (the main thread compares). */
  compareFile: string | null;
  /** The compare's statement there (sqliteCompareSql), when `compareFile` is set. */
  compareSql: string | null;
  /** Customers per chunk handed back. */
  chunkSize: number;
}

export type ToSyncWorker =
  | { op: 'restart' }
  | { op: 'bytes'; chunk: Uint8Array }
  | { op: 'end' }
  | { op: 'summarise'; rejected: RejectedRow[]; rates: RateTable }
  | { op: 'next' };

/** A chunk's customers that need writing: [id, known, changed, needsLead]. */
export type PendingEntry = [string, boolean, boolean, boolean];

export type FromSyncWorker =
  | { op: 'consumed'; bytes: number }
  | { op: 'ended'; result: ExportParseResult }
  | { op: 'unreadable'; customerId: string; currency: string; reason: string }
  | { op: 'summary'; fetched: number; unreadableRows: number; unnamed: number; customersIncomplete: number }
  /** `pending` null: compare these on the main thread. */
  | { op: 'chunk'; snapshots: CustomerSnapshot[]; pending: PendingEntry[] | null; through: number }
  | { op: 'done' }
  | { op: 'failed'; message: string };

function serve(port: NonNullable<typeof parentPort>, data: SyncWorkerData): void {
  const send = (msg: FromSyncWorker) => port.postMessage(msg);
  const builder = new CustomerSnapshotBuilder((row, reason) =>
    send({ op: 'unreadable', customerId: row.customerId, currency: row.currency, reason }),
  );
  const sink = {
    rows: (batch: readonly CustomerCurrencyRow[]) => {
      for (const row of batch) builder.add(row);
    },
  };
  let reader = new CardExportReader(CUSTOMERS_CARD, sink);
  let chunks: Generator<CustomerSnapshot[]> | null = null;
  // Opened when the compare starts: the read before it needs no database.
  let compare: ReturnType<typeof openSqliteCompare> | null = null;

  // Customers made into snapshots so far, those found unchanged included (the sync's progress).
  let through = 0;
  const nextChunk = (): FromSyncWorker => {
    for (;;) {
      const step = chunks!.next();
      if (step.done) return { op: 'done' };
      const chunk = step.value;
      through += chunk.length;
      if (!compare) return { op: 'chunk', snapshots: chunk, pending: null, through };
      const pending = compare.compare(chunk.map((s) => [s.figures.customerId, customerFingerprint(s)]));
      if (pending.size === 0) continue;
      const entries: PendingEntry[] = [...pending].map(([id, p]) => [id, p.known, p.changed, p.needsLead]);
      return {
        op: 'chunk',
        snapshots: chunk.filter((s) => pending.has(s.figures.customerId)),
        pending: entries,
        through,
      };
    }
  };

  port.on('message', (msg: ToSyncWorker) => {
    try {
      switch (msg.op) {
        case 'restart':
          builder.clear();
          reader = new CardExportReader(CUSTOMERS_CARD, sink);
          return;
        case 'bytes':
          reader.push(msg.chunk);
          return send({ op: 'consumed', bytes: msg.chunk.byteLength });
        case 'end':
          return send({ op: 'ended', result: reader.end() });
        case 'summarise': {
          // Each refused row was logged by the reader; what matters here is whose figure it leaves incomplete.
          let unnamed = 0;
          for (const row of msg.rejected) if (!builder.refused(row)) unnamed += 1;
          chunks = builder.chunks(msg.rates, data.chunkSize);
          through = 0;
          if (data.compareFile && data.compareSql) compare = openSqliteCompare(data.compareFile, data.compareSql);
          return send({
            op: 'summary',
            fetched: builder.size,
            unreadableRows: builder.unreadableRows,
            unnamed,
            customersIncomplete: builder.customersWithRefusedRows,
          });
        }
        case 'next':
          return send(nextChunk());
      }
    } catch (err) {
      send({ op: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  });
  port.once('close', () => compare?.close());
}

if (parentPort && (workerData as { syncWorker?: SyncWorkerData } | null)?.syncWorker) {
  serve(parentPort, (workerData as { syncWorker: SyncWorkerData }).syncWorker);
}
