import { Worker } from 'node:worker_threads';
import type { RateTable } from '../common/money';
import type { Database } from '../db/client';
import { compareFileFor } from '../db/customer-cache/customer-cache-sql';
import { sqliteCompareSql } from '../db/customer-cache/sync-compare';
import type { ExportParseResult, ExportParser, RejectedRow } from '../production/types';
import { workerSource } from '../worker-source';
import type { CustomerSnapshot, PendingWork } from './customer-snapshots';
import type { FromSyncWorker, SyncWorkerData, ToSyncWorker } from './sync-worker';

/** Export bytes handed to the worker and not parsed yet, beyond which the reader waits. */
const MAX_BYTES_IN_FLIGHT = 4 * 1024 * 1024;

/**
 * The worker's heap. The running totals are compact (customer-running-totals.ts: about 100
 * bytes of heap per customer, the rest in typed arrays outside it), so 200,000 customers'
 * need about 25 MB of it; parsing makes only short-lived garbage. A small limit makes the
 * collector keep the heap near what is live instead of letting it grow (docs/benchmarks.md).
 * A sync past it fails (its worker stops with an out-of-memory error) and the process
 * serving Slack goes on.
 */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 };

const localDate = (d: Date | null) => (d === null ? null : new Date(d.getTime()));

/**
 * A snapshot's dates as this context's Date: a structured clone is made in Node's main realm,
 * and code running in another context (a test runner's VM) checks `instanceof Date` against
 * its own.
 */
function withLocalDates(s: CustomerSnapshot): CustomerSnapshot {
  return {
    figures: {
      ...s.figures,
      lastOrderAt: localDate(s.figures.lastOrderAt),
      rateDate: localDate(s.figures.rateDate),
      firstOrderAt: localDate(s.figures.firstOrderAt ?? null),
    },
    totals: s.totals.map((t) => ({
      ...t,
      lastOrderAt: localDate(t.lastOrderAt),
      firstOrderAt: localDate(t.firstOrderAt ?? null),
    })),
  };
}

/** A chunk to write; `pending` null when it still needs comparing (PostgreSQL). */
export interface WorkerChunk {
  snapshots: CustomerSnapshot[];
  pending: Map<string, PendingWork> | null;
  /** Customers gone through up to the end of this chunk (the unchanged ones left out of it included). */
  through: number;
}

export interface SyncSummary {
  fetched: number;
  unreadableRows: number;
  /** Refused rows without a readable customer id. */
  unnamed: number;
  /** Customers with a snapshot whose figure a refused row left incomplete. */
  customersIncomplete: number;
}

/**
 * The main thread's side of the sync worker (sync-worker.ts): an ExportParser for the
 * Metabase client, then the summary and the chunks to write. One worker per sync, ended by
 * `close()`, so an idle process holds none of its memory.
 */
export class SyncWorker {
  private readonly worker: Worker;
  private failure: Error | null = null;
  private waiting: { resolve: (msg: FromSyncWorker) => void; reject: (err: Error) => void } | null = null;
  private bytesInFlight = 0;
  private drained: (() => void) | null = null;

  constructor(
    db: Database,
    chunkSize: number,
    onUnreadable: (customerId: string, currency: string, reason: string) => void,
  ) {
    const compareFile = compareFileFor(db);
    const data: SyncWorkerData = { compareFile, compareSql: compareFile ? sqliteCompareSql() : null, chunkSize };
    this.worker = new Worker(workerSource(__filename, 'sync-worker'), {
      eval: true,
      workerData: { syncWorker: data },
      resourceLimits: WORKER_LIMITS,
      stdout: false,
      stderr: false,
    });
    this.worker.on('message', (msg: FromSyncWorker) => {
      if (msg.op === 'consumed') {
        this.bytesInFlight -= msg.bytes;
        if (this.bytesInFlight <= MAX_BYTES_IN_FLIGHT / 2) this.drained?.();
        return;
      }
      if (msg.op === 'unreadable') return onUnreadable(msg.customerId, msg.currency, msg.reason);
      const waiting = this.waiting;
      this.waiting = null;
      if (msg.op === 'failed') waiting?.reject(new Error(`sync worker: ${msg.message}`));
      else waiting?.resolve(msg);
    });
    const fail = (err: Error) => {
      this.failure ??= err;
      this.waiting?.reject(err);
      this.waiting = null;
      this.drained?.();
    };
    this.worker.on('error', (err) => fail(err));
    this.worker.on('exit', (code) => fail(new Error(`sync worker exited (${code})`)));
  }

  /** Where the Metabase client hands the export's bytes. */
  readonly parser: ExportParser = {
    restart: () => this.post({ op: 'restart' }),
    bytes: async (chunk) => {
      this.post({ op: 'bytes', chunk });
      this.bytesInFlight += chunk.byteLength;
      if (this.bytesInFlight > MAX_BYTES_IN_FLIGHT) {
        await new Promise<void>((resolve) => (this.drained = resolve));
        this.drained = null;
        if (this.failure) throw this.failure;
      }
    },
    end: async () => (await this.ask({ op: 'end' }, 'ended')).result as ExportParseResult,
  };

  /** Marks the refused rows' customers incomplete; the counts the run records. */
  async summarise(rejected: RejectedRow[], rates: RateTable): Promise<SyncSummary> {
    const { op: _, ...summary } = await this.ask({ op: 'summarise', rejected, rates }, 'summary');
    return summary;
  }

  /** The chunks that need writing, one at a time: the next is made once the last is written. */
  async *chunks(): AsyncGenerator<WorkerChunk> {
    for (;;) {
      const msg = await this.ask({ op: 'next' }, 'chunk', 'done');
      if (msg.op === 'done') return;
      yield {
        snapshots: msg.snapshots.map(withLocalDates),
        pending: msg.pending
          ? new Map(msg.pending.map(([id, known, changed, needsLead]) => [id, { known, changed, needsLead }]))
          : null,
        through: msg.through,
      };
    }
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  private post(msg: ToSyncWorker): void {
    if (this.failure) throw this.failure;
    this.worker.postMessage(msg);
  }

  private ask<K extends FromSyncWorker['op']>(
    msg: ToSyncWorker,
    ...answers: K[]
  ): Promise<Extract<FromSyncWorker, { op: K }>> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = {
        resolve: (answer) =>
          (answers as string[]).includes(answer.op)
            ? resolve(answer as Extract<FromSyncWorker, { op: K }>)
            : reject(new Error(`sync worker answered ${answer.op} to ${msg.op}`)),
        reject,
      };
      this.worker.postMessage(msg);
    });
  }
}
