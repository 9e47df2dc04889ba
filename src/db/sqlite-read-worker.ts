import { parentPort, workerData } from 'node:worker_threads';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlQuery, SqlResultSet } from '@prisma/driver-adapter-utils';
import { PAGE_CACHE_PRAGMA } from './sqlite-page-cache';

/**
 * The thread behind OffLoopReader (off-loop-reads.ts): Prisma's own better-sqlite3 adapter on
 * a read-only connection to the app's SQLite file, answering one query at a time. A long
 * read here blocks this thread only, never the event loop that serves Slack.
 */
export interface ReadWorkerData {
  path: string;
  busyTimeoutMs: number;
}

export type ToReadWorker = { id: number; query: SqlQuery };

export type FromReadWorker =
  | { id: number; ok: true; result: SqlResultSet }
  /** `cause` is the adapter's mapped error (DriverAdapterError's payload), so Prisma maps it as usual. */
  | { id: number; ok: false; message: string; cause: unknown };

const data = workerData as ReadWorkerData;
const port = parentPort!;

const connected = new PrismaBetterSQLite3({ url: data.path, timeout: data.busyTimeoutMs })
  .connect()
  .then(async (adapter) => {
    // Reads only: a write sent here by mistake fails instead of racing the app's own connection.
    await adapter.executeScript(`PRAGMA query_only = ON; PRAGMA ${PAGE_CACHE_PRAGMA}`);
    return adapter;
  });

port.on('message', (msg: ToReadWorker) => {
  connected
    .then((adapter) => adapter.queryRaw(msg.query))
    .then(
      (result) => port.postMessage({ id: msg.id, ok: true, result } satisfies FromReadWorker),
      (err: unknown) => {
        const e = err as { message?: unknown; cause?: unknown };
        const cause = e?.cause && typeof e.cause === 'object' ? e.cause : { kind: 'GenericJs', id: 0 };
        port.postMessage({ id: msg.id, ok: false, message: String(e?.message ?? err), cause } satisfies FromReadWorker);
      },
    );
});
