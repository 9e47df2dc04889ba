import { releaseLeaseAside, tryAcquireLeaseAside } from '../db/leases';
import { type FinishedSyncRun, latestFinishedRun } from '../db/sync-runs';
import type { AppDeps } from '../deps';
import { type SyncProgress, type SyncRunResult, type SyncTrigger, syncLeadsFromProduction } from './lead-sync';

/** The lease that keeps the sync single across app instances sharing one database. */
export const SYNC_LEASE_NAME = 'lead_sync';

export interface SyncPolicy {
  /** A successful run younger than this is reused instead of syncing again. */
  reuseMs: number;
  /** After a failed run, the next automatic attempt waits at least this long. */
  retryAfterFailureMs: number;
  /** Lease lifetime: longer than any sync, short enough that a crashed holder does not block for long. */
  leaseTtlMs: number;
}

export const DEFAULT_SYNC_POLICY: SyncPolicy = { reuseMs: 60_000, retryAfterFailureMs: 30_000, leaseTtlMs: 5 * 60_000 };

/**
 * What asking for a sync did:
 * - `ran`: this process ran it (or joined the run in flight): `run` is that run;
 * - `reused`: a successful run younger than `reuseMs` exists: `run` is it;
 * - `backoff`: the last run failed less than `retryAfterFailureMs` ago;
 * - `busy_elsewhere`: another instance holds the lease;
 * - `off`: production is not configured.
 */
export type SyncOutcome =
  | { kind: 'ran'; run: SyncRunResult; joined: boolean; changed: boolean }
  | { kind: 'reused'; run: LastSyncRun; changed: false }
  | { kind: 'backoff'; run: LastSyncRun; changed: false }
  | { kind: 'busy_elsewhere'; changed: false }
  | { kind: 'off'; changed: false };

/** The latest finished run, as the coordinator and the Home header read it. */
export type LastSyncRun = FinishedSyncRun;

/**
 * Decides when the lead sync runs, for one process: concurrent requests share one run
 * (single-flight), a recent success is reused, a recent failure is not retried at once,
 * and a database lease keeps other instances out while a run is going. Decisions read the
 * latest run from the database, so instances also reuse each other's runs.
 */
/** An import (a run before any successful one) as far as it has got, after each chunk it wrote. */
export type ImportProgress = SyncProgress & {
  /** The chunk just written is the run's first. */
  first: boolean;
};

export class SyncCoordinator {
  private inFlight: Promise<SyncOutcome> | null = null;
  private importing: SyncProgress | null = null;
  private importListener: ((progress: ImportProgress) => Promise<void>) | null = null;

  constructor(
    private readonly deps: AppDeps,
    readonly policy: SyncPolicy = DEFAULT_SYNC_POLICY,
  ) {}

  /** True while this process is running a sync. */
  get running(): boolean {
    return this.inFlight !== null;
  }

  /**
   * How far the import this process is running has got (a run while no sync has ever
   * succeeded: the CRM is filling up), or null: no import running, or none of it written yet.
   */
  get importProgress(): SyncProgress | null {
    return this.importing;
  }

  /**
   * Told after each chunk an import writes (awaited, so what it reads is that chunk's state;
   * keep it short). Its failures are logged, never the sync's.
   */
  onImportProgress(listener: (progress: ImportProgress) => Promise<void>): void {
    this.importListener = listener;
  }

  /**
   * Runs the sync if due, or joins the run in flight. `force` (the admin's `/crm sync`)
   * skips the reuse and back-off windows but still joins a run in flight and respects the lease.
   */
  async requestSync(options: { trigger: SyncTrigger; force?: boolean }): Promise<SyncOutcome> {
    const production = this.deps.production;
    if (!production) return { kind: 'off', changed: false };
    if (this.inFlight) return this.join(this.inFlight);

    if (!options.force) {
      const last = await latestFinishedRun(this.deps.db);
      // Another request may have started a run while we were reading.
      if (this.inFlight) return this.join(this.inFlight);
      const age = last ? this.deps.clock.now().getTime() - last.finishedAt.getTime() : Infinity;
      if (last?.status === 'ok' && age < this.policy.reuseMs) return { kind: 'reused', run: last, changed: false };
      if (last?.status === 'failed' && age < this.policy.retryAfterFailureMs)
        return { kind: 'backoff', run: last, changed: false };
    }
    if (this.inFlight) return this.join(this.inFlight);

    const flight = this.runUnderLease(production, options.trigger).finally(() => {
      this.inFlight = null;
    });
    this.inFlight = flight;
    return flight;
  }

  private async join(flight: Promise<SyncOutcome>): Promise<SyncOutcome> {
    const outcome = await flight;
    return outcome.kind === 'ran' ? { ...outcome, joined: true } : outcome;
  }

  private async runUnderLease(
    production: NonNullable<AppDeps['production']>,
    trigger: SyncTrigger,
  ): Promise<SyncOutcome> {
    const { prisma } = this.deps.db;
    const holder = this.deps.instanceId;
    // Taken and given back on the side connection, as the run is recorded (db/sync-runs.ts): a
    // sync that writes no CRM data leaves what Home readers share as it was.
    const acquired = await tryAcquireLeaseAside(
      this.deps.db,
      SYNC_LEASE_NAME,
      holder,
      this.policy.leaseTtlMs,
      this.deps.clock.now(),
    );
    if (!acquired) {
      this.deps.logger.debug('lead sync skipped: another instance holds the lease');
      return { kind: 'busy_elsewhere', changed: false };
    }
    try {
      const previous = await latestFinishedRun(this.deps.db);
      // No success yet (none ever, or only failures): this run fills an empty CRM, shown as it goes.
      const isImport =
        previous?.status !== 'ok' && (await prisma.syncRun.findFirst({ where: { status: 'ok' } })) === null;
      const run = await syncLeadsFromProduction(this.deps, production, {
        trigger,
        onProgress: isImport ? (progress) => this.imported(progress) : undefined,
      }).finally(() => {
        this.importing = null;
      });
      // A run that changed data, or turned a failure into a success (or back), changes what Home shows.
      const changed =
        run.created > 0 || run.updated > 0 || (previous?.status ?? null) !== run.status || run.status === 'failed';
      return { kind: 'ran', run, joined: false, changed };
    } finally {
      await releaseLeaseAside(this.deps.db, SYNC_LEASE_NAME, holder).catch((err: unknown) =>
        this.deps.logger.warn({ err }, 'could not release the lead sync lease; it expires on its own'),
      );
    }
  }

  private async imported(progress: SyncProgress): Promise<void> {
    const first = this.importing === null;
    this.importing = progress;
    try {
      await this.importListener?.({ ...progress, first });
    } catch (err) {
      this.deps.logger.warn({ err }, 'showing the import progress failed');
    }
  }
}

/** The state of the lead sync as the Home header shows it. */
export type SyncStatus =
  | { kind: 'off' }
  /** `progress`: the import this process is running, once its first chunk is written. */
  | { kind: 'never'; running: boolean; progress?: SyncProgress | null }
  | { kind: 'ok'; finishedAt: Date; created: number; running: boolean }
  | {
      kind: 'failing';
      since: Date;
      error: string;
      lastSuccessAt: Date | null;
      /** The latest run failed after writing some customers: how many, of how many it read. */
      partial?: { created: number; updated: number; fetched: number } | null;
      /** An import running again (see `never`). */
      progress?: SyncProgress | null;
    };

/** The status with the progress of the import this process is running, if any. */
export function withImportProgress(status: SyncStatus, progress: SyncProgress | null): SyncStatus {
  if (!progress) return status;
  if (status.kind === 'never' || status.kind === 'failing') return { ...status, progress };
  return status;
}

/**
 * Reads the sync state from SyncRun: the last success, or, when the latest run failed,
 * since when production has been unavailable (the first failure after the last success).
 * `running`: whether this process is syncing now (its coordinator knows).
 */
export async function loadSyncStatus(deps: Pick<AppDeps, 'db' | 'production'>, running = false): Promise<SyncStatus> {
  if (!deps.production) return { kind: 'off' };
  const { prisma } = deps.db;
  const last = await latestFinishedRun(deps.db);
  if (!last) return { kind: 'never', running };
  if (last.status === 'ok') return { kind: 'ok', finishedAt: last.finishedAt, created: last.created, running };
  const lastOk = await prisma.syncRun.findFirst({
    where: { status: 'ok' },
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
  });
  const firstFailure = await prisma.syncRun.findFirst({
    where: { status: 'failed', ...(lastOk ? { startedAt: { gt: lastOk.startedAt } } : {}) },
    orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
  });
  return {
    kind: 'failing',
    since: firstFailure?.startedAt ?? last.startedAt,
    error: last.error ?? 'Production data unavailable',
    lastSuccessAt: lastOk?.finishedAt ?? null,
    partial:
      last.created + last.updated > 0 ? { created: last.created, updated: last.updated, fetched: last.fetched } : null,
  };
}
