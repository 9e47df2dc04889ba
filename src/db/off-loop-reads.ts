import { AsyncLocalStorage } from 'node:async_hooks';
import { Worker } from 'node:worker_threads';
import type { SqlQuery, SqlResultSet } from '@prisma/driver-adapter-utils';
import { workerSource } from '../worker-source';
import type { FromReadWorker, ReadWorkerData, ToReadWorker } from './sqlite-read-worker';

/**
 * Reads of the whole book kept off the event loop. On SQLite every query runs synchronously
 * in the calling thread (better-sqlite3): one grouped scan of 200,000 leads holds every other
 * user, and `/healthz`, for the whole scan, and no page size or yield between queries helps
 * a single query. Work wrapped in `bulkReads` (an export, the digest's figures) has its
 * Prisma reads outside transactions answered by a worker thread on a read-only connection of
 * its own (OffLoopReader), while the event loop goes on serving requests; writes, reads in
 * transactions and every read outside the scope stay on Prisma's connection as before. On
 * PostgreSQL queries are already asynchronous and the scope changes nothing.
 *
 * Consistency: the file is in WAL mode, so a read on the worker's connection sees every
 * transaction committed before it was sent, as a read on Prisma's connection would.
 */
const scope = new AsyncLocalStorage<true>();

/** Runs `work` with its database reads off the event loop (see above). */
export function bulkReads<T>(work: () => PromiseLike<T>): Promise<T> {
  // Awaited inside the scope: Prisma's queries are lazy and start when first awaited.
  return scope.run(true, async () => await work());
}

/** An async generator whose every step runs its reads off the event loop. */
export async function* bulkReadsOf<T>(pieces: AsyncIterable<T>): AsyncGenerator<T> {
  const it = pieces[Symbol.asyncIterator]();
  try {
    for (;;) {
      const step = await bulkReads(() => it.next());
      if (step.done) return;
      yield step.value;
    }
  } finally {
    await it.return?.();
  }
}

/** True inside `bulkReads`. */
export function inBulkReads(): boolean {
  return scope.getStore() === true;
}

/** A statement that only reads (Prisma's reads start with SELECT; its writes never do). */
export function isPlainSelect(sql: string): boolean {
  return /^\s*SELECT\b/i.test(sql);
}

/**
 * The reader's heap: a page of rows at a time passes through it. Small, because V8 lets
 * garbage grow up to the limit before collecting it, and that garbage is resident memory.
 */
const READER_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 4 };

/** How long the worker stays after its last read; it is started again on the next one. */
const IDLE_STOP_MS = 30_000;

/**
 * A worker thread answering SQLite reads (sqlite-read-worker.ts), started on the first read
 * and stopped when idle, so a process that exports nothing holds none of its memory.
 */
export class OffLoopReader {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: SqlResultSet) => void; reject: (e: Error) => void }>();
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly path: string,
    private readonly busyTimeoutMs: number,
  ) {}

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    const worker = this.started();
    const id = this.nextId++;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    // Referenced while it owes an answer: a process waiting only for this read stays alive.
    worker.ref();
    return new Promise<SqlResultSet>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, query } satisfies ToReadWorker);
    });
  }

  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
    this.failAll(new Error('the database was closed during a read'));
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const source = workerSource(__filename, 'sqlite-read-worker');
    const data: ReadWorkerData = { path: this.path, busyTimeoutMs: this.busyTimeoutMs };
    const worker = new Worker(source, { eval: true, workerData: data, resourceLimits: READER_LIMITS });
    worker.on('message', (msg: FromReadWorker) => {
      const waiter = this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      if (msg.ok) waiter.resolve(msg.result);
      else waiter.reject(driverAdapterError(msg.message, msg.cause));
      if (this.pending.size === 0) {
        worker.unref();
        this.stopWhenIdle();
      }
    });
    worker.on('error', (err) => this.lost(worker, err));
    worker.on('exit', (code) => this.lost(worker, new Error(`the read worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private stopWhenIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.pending.size > 0 || !this.worker) return;
      const worker = this.worker;
      this.worker = null;
      void worker.terminate();
    }, IDLE_STOP_MS);
    this.idleTimer.unref();
  }

  private lost(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.failAll(err);
  }

  private failAll(err: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(err);
    this.pending.clear();
  }
}

/** The adapter's error as Prisma recognises it (the name and the mapped cause). */
function driverAdapterError(message: string, cause: unknown): Error {
  const err = new Error(message);
  err.name = 'DriverAdapterError';
  (err as Error & { cause: unknown }).cause = cause;
  return err;
}
