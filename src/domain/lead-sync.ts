import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { RateTable } from '../common/money';
import { TimeSlicer, yieldToEventLoop } from '../cooperative';
import type { Database } from '../db/client';
import { insertMissingLeads, replaceTotals, upsertFigures } from '../db/customer-cache/customer-cache-sql';
import { pendingWork } from '../db/customer-cache/sync-compare';
import { LOCKS, lockForTransaction } from '../db/locks';
import { compactStageTotals } from '../db/stage-totals';
import { recordSyncFinished, recordSyncStarted } from '../db/sync-runs';
import type { AppDeps } from '../deps';
import {
  type CustomerCurrencyRow,
  ProductionError,
  type ProductionReader,
  type RejectedRow,
} from '../production/types';
import {
  type CustomerSnapshot,
  CustomerSnapshotBuilder,
  customerFingerprint,
  type PendingWork,
} from './customer-snapshots';
import { getRates } from './rates';
import { usdFigureFromTotals } from './revalue-figures';
import { getSyncDays } from './settings';
import { SyncWorker } from './sync-worker-client';

export type { CurrencyTotalRow, CustomerFiguresRow, CustomerSnapshot } from './customer-snapshots';

/** Customers per write transaction (each chunk is a handful of statements, whatever its size). */
export const SYNC_CHUNK_SIZE = 1_000;

export type SyncTrigger = 'home_opened' | 'command' | 'schedule' | 'bench' | 'test';

export interface SyncRunResult {
  runId: number;
  trigger: string;
  status: 'ok' | 'failed';
  startedAt: Date;
  finishedAt: Date;
  /** Distinct customers production returned. */
  fetched: number;
  /** New leads created by this run. */
  created: number;
  /** Known customers whose cached figures changed. */
  updated: number;
  /** Rows refused (by the card's schema or because their amount could not be read). */
  rejected: number;
  /** What the user should see when the run failed. */
  error: string | null;
}

export type SyncDeps = Pick<AppDeps, 'db' | 'clock' | 'logger' | 'config'>;

/** How far a run's writes have got, after each chunk it commits. */
export interface SyncProgress {
  /** Customers of the export gone through so far (written, or found unchanged). */
  through: number;
  /** Distinct customers in the export. */
  of: number;
  /** Leads created and known customers updated so far. */
  created: number;
  updated: number;
}

/** All rows at once (see CustomerSnapshotBuilder). Cooperative: the event loop turns every few milliseconds. */
export async function buildCustomerSnapshots(
  rows: readonly CustomerCurrencyRow[],
  rates: RateTable,
  onUnreadable: (row: CustomerCurrencyRow, reason: string) => void = () => undefined,
  slicer: TimeSlicer = new TimeSlicer(),
): Promise<{ snapshots: CustomerSnapshot[]; unreadableRows: number }> {
  const builder = new CustomerSnapshotBuilder(onUnreadable);
  for (let i = 0; i < rows.length; i++) {
    if ((i & 255) === 0 && slicer.due()) await slicer.yield();
    builder.add(rows[i]!);
  }
  const snapshots: CustomerSnapshot[] = [];
  for (const chunk of builder.chunks(rates, 256)) {
    await slicer.yieldIfDue();
    snapshots.push(...chunk);
  }
  return { snapshots, unreadableRows: builder.unreadableRows };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const sameRates = (a: RateTable, b: RateTable) =>
  a.size === b.size &&
  [...a.values()].every(
    (r) =>
      b.get(r.currency)?.usdPerUnit === r.usdPerUnit && b.get(r.currency)?.rateDate.getTime() === r.rateDate.getTime(),
  );

/** Counts of one write pass. */
export interface SyncWriteCounts {
  created: number;
  updated: number;
  /** Customers gone through (written, or found unchanged). */
  through: number;
}

/**
 * Writes snapshots to the CRM database: changed or new figures (unchanged ones are skipped
 * by comparing fingerprints, so a no-change sync writes nothing), their currency totals, and a lead for
 * every customer without one. One transaction per chunk of customers. Never touches an
 * existing lead's stage, owner, contact or notes. Cooperative: the event loop turns between
 * reads, every few milliseconds of comparing, and between write transactions (never inside one).
 */
export async function writeCustomerSnapshots(
  db: Database,
  snapshots: readonly CustomerSnapshot[],
  now: Date,
  slicer: TimeSlicer = new TimeSlicer(),
  /** The rates the snapshots' USD figures were computed at. */
  builtAt?: RateTable,
): Promise<SyncWriteCounts> {
  return writeSnapshotChunks(db, chunks(snapshots, SYNC_CHUNK_SIZE), now, slicer, builtAt);
}

/** A chunk whose customers were already compared with the cache (`pending`), or not yet (null). */
export interface ComparedChunk {
  snapshots: readonly CustomerSnapshot[];
  pending: Map<string, PendingWork> | null;
  /** Customers gone through up to the end of this chunk, the unchanged ones left out of it included. */
  through?: number;
}

/**
 * writeCustomerSnapshots for snapshots made a chunk at a time (at most SYNC_CHUNK_SIZE each),
 * or handed over already compared (the sync worker's chunks).
 */
export async function writeSnapshotChunks(
  db: Database,
  snapshotChunks: Iterable<readonly CustomerSnapshot[]> | AsyncIterable<ComparedChunk>,
  now: Date,
  slicer: TimeSlicer = new TimeSlicer(),
  /** The rates the snapshots' USD figures were computed at. */
  builtAt?: RateTable,
  /** Called after each chunk's transaction commits, with the counts so far; awaited. */
  onWritten?: (counts: SyncWriteCounts) => void | Promise<void>,
): Promise<SyncWriteCounts> {
  const { prisma } = db;
  let created = 0;
  let updated = 0;
  let through = 0;
  // Customers with nothing to write drop out; the rest are written chunk by chunk, figures before leads (foreign key).
  for await (const item of snapshotChunks) {
    await slicer.yieldIfDue();
    const compared = 'snapshots' in item ? item : null;
    const chunk = compared ? compared.snapshots : (item as readonly CustomerSnapshot[]);
    through = compared?.through ?? through + chunk.length;
    const pending =
      compared?.pending ??
      (await pendingWork(
        db,
        chunk.map((s) => [s.figures.customerId, customerFingerprint(s)]),
      ));
    if (pending.size === 0) continue;
    await yieldToEventLoop();
    const toWrite = chunk.filter((s) => pending.get(s.figures.customerId)?.changed);
    const leadIds = chunk.filter((s) => pending.get(s.figures.customerId)?.needsLead).map((s) => s.figures.customerId);
    for (const s of toWrite) if (pending.get(s.figures.customerId)!.known) updated += 1;
    created += await prisma.$transaction(async (tx) => {
      // The rates are read again under the rates lock: if an admin changed one since the
      // snapshots were built, the figures are redone at the new rates, so a rate change and its
      // revaluation (revalue-figures.ts) never land between this read and this write.
      await lockForTransaction(prisma, tx, LOCKS.rates);
      const current = builtAt && (await getRates(tx));
      const written = toWrite.map((s) =>
        current && !sameRates(current, builtAt)
          ? { ...s, figures: { ...s.figures, ...usdFigureFromTotals(s.totals, s.figures.unknownCurrencies, current) } }
          : s,
      );
      // The fingerprint of what is written, refigured or not: the next sync compares with it.
      await upsertFigures(
        db,
        tx,
        written.map((s) => ({ ...s.figures, fingerprint: customerFingerprint(s) })),
        now,
      );
      await replaceTotals(
        db,
        tx,
        toWrite.map((s) => s.figures.customerId),
        toWrite.flatMap((s) => s.totals),
      );
      return insertMissingLeads(db, tx, leadIds, now);
    });
    await onWritten?.({ created, updated, through });
  }
  await compactStageTotals(db);
  return { created, updated, through };
}

/** Short text for SyncRun.error and the Home warning. */
export function syncErrorMessage(err: unknown): string {
  if (err instanceof ProductionError) return err.userMessage;
  return 'Lead sync failed with an internal error (see the logs)';
}

/**
 * The lead sync: reads the Customers card for the window, refreshes the cached figures and
 * creates a lead for every customer that has none. Every run is recorded in SyncRun.
 * It never throws for a production or database failure: the run is recorded as failed and
 * returned, so callers can show it.
 */
export async function syncLeadsFromProduction(
  deps: SyncDeps,
  production: ProductionReader,
  options: {
    trigger: SyncTrigger | string;
    /** Told after each chunk is written (and awaited): the Home can show an import as it goes. */
    onProgress?: (progress: SyncProgress) => void | Promise<void>;
  },
): Promise<SyncRunResult> {
  const { prisma } = deps.db;
  const log = deps.logger.child({ component: 'lead-sync', trigger: options.trigger });
  const startedAt = deps.clock.now();
  const runId = await recordSyncStarted(deps.db, options.trigger, startedAt);
  const counts = { fetched: 0, created: 0, updated: 0, rejected: 0 };
  let error: string | null = null;
  const started = performance.now();
  // Where the run's time went (logged below): ms from the start to the end of each phase.
  const phases: Record<string, number> = {};
  const mark = (phase: string) => (phases[phase] = Math.round(performance.now() - started));
  // After each chunk: the counts so far (a run that fails midway records what it wrote) and the progress.
  const written = async (c: SyncWriteCounts) => {
    phases.firstWriteMs ??= Math.round(performance.now() - started);
    counts.created = c.created;
    counts.updated = c.updated;
    await options.onProgress?.({ ...c, of: counts.fetched });
  };
  // What a Slack request arriving during the sync waits before it is even read (logged below).
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  try {
    const days = await getSyncDays(prisma, deps.config);
    const rates = await getRates(prisma);
    const slicer = new TimeSlicer();
    const logUnreadable = (customerId: string, currency: string, reason: string) =>
      log.error({ customerId, currency, reason }, 'customer row refused: lifetime_total unreadable');
    const logRefused = (refused: number, unnamed: number, customersIncomplete: number) => {
      if (refused)
        log.warn(
          { refused, withoutCustomerId: unnamed, customersIncomplete },
          'customer rows refused: the figures of their customers are marked incomplete',
        );
    };
    if (production.readCustomersExport) {
      // The export's rows are parsed, added up and compared in a worker thread: this thread,
      // which serves Slack, only carries the bytes and writes what changed.
      const worker = new SyncWorker(deps.db, SYNC_CHUNK_SIZE, logUnreadable);
      try {
        const read = await production.readCustomersExport(days, worker.parser);
        mark('readMs');
        const summary = await worker.summarise(read.rejected, rates);
        mark('summariseMs');
        logRefused(read.rejected.length, summary.unnamed, summary.customersIncomplete);
        counts.fetched = summary.fetched;
        counts.rejected = read.rejected.length + summary.unreadableRows;
        await writeSnapshotChunks(deps.db, worker.chunks(), deps.clock.now(), slicer, rates, written);
        mark('writeMs');
      } finally {
        await worker.close();
      }
    } else {
      const builder = new CustomerSnapshotBuilder((row, reason) => logUnreadable(row.customerId, row.currency, reason));
      let rejected: RejectedRow[];
      if (production.streamCustomers) {
        // Rows are added as they are read: the export is never held whole.
        const read = await production.streamCustomers(days, {
          restart: () => builder.clear(),
          rows: (batch) => {
            for (const row of batch) builder.add(row);
          },
        });
        rejected = read.rejected;
      } else {
        const card = await production.fetchCustomers(days);
        for (let i = 0; i < card.rows.length; i++) {
          if ((i & 255) === 0 && slicer.due()) await slicer.yield();
          builder.add(card.rows[i]!);
        }
        rejected = card.rejected;
      }
      // Each refused row was logged by the reader; what matters here is whose figure it leaves incomplete.
      let unnamed = 0;
      for (const row of rejected) if (!builder.refused(row)) unnamed += 1;
      logRefused(rejected.length, unnamed, builder.customersWithRefusedRows);
      counts.fetched = builder.size;
      counts.rejected = rejected.length + builder.unreadableRows;
      await writeSnapshotChunks(
        deps.db,
        builder.chunks(rates, SYNC_CHUNK_SIZE),
        deps.clock.now(),
        slicer,
        rates,
        written,
      );
      mark('writeMs');
    }
  } catch (err) {
    error = syncErrorMessage(err);
    log.error({ err }, 'lead sync failed');
  }
  loopDelay.disable();
  const finishedAt = deps.clock.now();
  await recordSyncFinished(deps.db, runId, { finishedAt, status: error ? 'failed' : 'ok', ...counts, error });
  log.info(
    {
      ...counts,
      ms: Math.round(performance.now() - started),
      ok: !error,
      loopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e5) / 10,
      loopDelayMaxMs: Math.round(loopDelay.max / 1e5) / 10,
      ...phases,
    },
    'lead sync finished',
  );
  return {
    runId,
    trigger: options.trigger,
    status: error ? 'failed' : 'ok',
    startedAt,
    finishedAt,
    ...counts,
    error,
  };
}
