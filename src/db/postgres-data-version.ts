import { Prisma } from '../generated/sqlite/client';
import type { DataConcern, DataVersions } from './sqlite-data-version';

/**
 * PostgreSQL's data versions for what Home readers share (db/pipeline/pipeline-sql.ts
 * `dataVersion`): one of the CRM data, one of the sync's run records, the same concerns and
 * tables as SQLite's counters (DATA_VERSION_TABLES in db/sqlite-data-version.ts).
 *
 * Statement triggers on those tables (the `data_writes` migration) note the id of each
 * transaction that writes one of them in "DataWrite" (id, concern): each transaction inserts
 * its own row, so writers share no lock (a counter row would make every writer wait for the
 * one before it, and could deadlock with row locks taken in another order). A statement that
 * changed no row in a transaction that wrote nothing notes nothing. A rolled-back
 * transaction's row is never seen; bookkeeping (seen Slack requests, leases and heartbeats,
 * deliveries, the users.info cache, …) has no trigger, whoever writes it.
 *
 * A reader reads, in the same statement as its data, the transaction snapshot
 * (`pg_current_snapshot()`, `xmin:xmax:xip,…`: an id below xmax and not in the in-progress
 * list had ended, one at or above xmax had not) and the rows of "DataWrite" of the ids that
 * had not ended at the last snapshot this process compared against (from its xmax on, and
 * those it listed as in progress). A version changes when one of those rows is of a
 * transaction that ended since that snapshot; then the newer snapshot becomes the reference. Nothing that ended in between (another instance's heartbeat,
 * an outside UPDATE of SyncRun) changes the CRM data's version unless it wrote CRM data.
 *
 * The heartbeat prunes the rows (`PRUNE_DATA_WRITES`) below a horizon ten minutes old
 * (PostgresDataVersion.pruneBelow) and records it in "DataWriteHorizon": a reader whose
 * reference is older than the horizon may have missed rows, and counts everything as changed.
 * A read made inside a transaction that wrote CRM data would see its own uncommitted row:
 * Home's reads are never made in one.
 */

/** What a snapshot tells: the first id not ended yet, and the ids below it still in progress. */
export interface TransactionSnapshot {
  xmax: bigint;
  inProgress: Set<bigint>;
}

/** Parses `pg_current_snapshot()`'s text (`xmin:xmax:xip1,xip2,…`). */
export function parseSnapshot(text: string): TransactionSnapshot {
  const [, xmax, xip] = text.split(':');
  if (xmax === undefined || xip === undefined) throw new Error(`not a transaction snapshot: ${text}`);
  return { xmax: BigInt(xmax), inProgress: new Set(xip ? xip.split(',').map((x) => BigInt(x)) : []) };
}

/** The lowest id that had not ended at `s`: every id that ends after it is at least this. */
function lowestOpen(s: TransactionSnapshot): bigint {
  let low = s.xmax;
  for (const x of s.inProgress) if (x < low) low = x;
  return low;
}

/** The version columns as a query returned them. */
export interface PostgresVersionRow {
  /** The snapshot, as text. */
  ps?: string;
  /** The prune horizon, as text. */
  ph?: string | null;
  /** The transactions that wrote since the reference, as `id:concern,…`; null when none. */
  pw?: string | null;
}

/** Rows below $1 are deleted and the horizon raised to it (never lowered), in one statement. */
export const PRUNE_DATA_WRITES = `WITH h AS (UPDATE "DataWriteHorizon" SET "xid" = $1 WHERE "xid" < $1 RETURNING 1)
  DELETE FROM "DataWrite" WHERE "xid" < $1 AND EXISTS (SELECT 1 FROM h)`;

/** How long a noted write is kept: a reader whose last read is older recomputes what it shares. */
export const DATA_WRITES_KEPT_MS = 10 * 60_000;

const CONCERNS: readonly DataConcern[] = ['crm', 'sync'];

export class PostgresDataVersion {
  private last: TransactionSnapshot | null = null;
  private changes = 0;
  private readonly versions: Record<DataConcern, string> = { crm: '', sync: '' };
  /** Snapshots' lowest open ids taken for pruning, with when, oldest first. */
  private readonly marks: { at: number; low: bigint }[] = [];

  /**
   * Starts a read: the columns to add to its query beside the snapshot's (`ps`, the pipeline
   * dialect's versionColumns), and the function that makes the versions from the row it returned.
   */
  begin(): { columns: Prisma.Sql; of(row: PostgresVersionRow | undefined): DataVersions | null } {
    const ref = this.last;
    const since = ref ? lowestOpen(ref) : null;
    // The transactions that had not ended at the reference; before the first read there is
    // nothing to compare with, and no rows are read.
    const open = ref?.inProgress.size
      ? Prisma.sql` OR "xid" IN (${Prisma.join([...ref.inProgress].map((x) => x.toString()))})`
      : Prisma.empty;
    const writes = ref
      ? Prisma.sql`(SELECT string_agg(CAST("xid" AS TEXT) || ':' || "concern", ',') FROM "DataWrite" WHERE "xid" >= ${ref.xmax.toString()}${open})`
      : Prisma.sql`CAST(NULL AS TEXT)`;
    return {
      columns: Prisma.sql`(SELECT CAST("xid" AS TEXT) FROM "DataWriteHorizon") AS "ph", ${writes} AS "pw"`,
      of: (row) => (row?.ps === undefined ? null : this.versionsOf(row.ps, since, row.ph ?? null, row.pw ?? null)),
    };
  }

  /**
   * The versions for data read at `snapshot` or later, given the writes noted from `since` on
   * (`id:concern,…`) and the prune horizon, all read in that snapshot.
   */
  versionsOf(snapshot: string, since: bigint | null, horizon: string | null, writes: string | null): DataVersions {
    const s = parseSnapshot(snapshot);
    const last = this.last;
    const changed = new Set<DataConcern>();
    if (!last || since === null || horizon === null || lowestOpen(last) < since || lowestOpen(last) < BigInt(horizon)) {
      // Nothing to compare with, or rows it would need may be missing: everything counts.
      for (const c of CONCERNS) changed.add(c);
    } else if (writes) {
      for (const w of writes.split(',')) {
        const at = w.indexOf(':');
        const x = BigInt(w.slice(0, at));
        // Seen in `s`, so ended by then; not ended at `last`.
        if (x >= last.xmax || last.inProgress.has(x)) changed.add(w.slice(at + 1) as DataConcern);
      }
    }
    if (changed.size) {
      this.changes++;
      for (const c of changed) this.versions[c] = `${this.changes}@${snapshot}`;
    }
    // Snapshots answered out of order: an older one keeps the newer as the reference.
    if (!last || s.xmax >= last.xmax) this.last = s;
    return { data: this.versions.crm, sync: this.versions.sync };
  }

  /**
   * For the heartbeat: notes the lowest open id of a snapshot taken now (`snapshot`, as text),
   * and answers the horizon to prune below, from a snapshot at least DATA_WRITES_KEPT_MS old,
   * or null while there is none.
   */
  pruneBelow(snapshot: string, nowMs: number): bigint | null {
    this.marks.push({ at: nowMs, low: lowestOpen(parseSnapshot(snapshot)) });
    let below: bigint | null = null;
    while (this.marks.length > 1 && nowMs - this.marks[0]!.at >= DATA_WRITES_KEPT_MS) below = this.marks.shift()!.low;
    return below;
  }
}
