/**
 * PostgreSQL's data version for what Home readers share (db/pipeline/pipeline-sql.ts
 * `dataVersion`), made from transaction snapshots: `pg_current_snapshot()` reads as
 * `xmin:xmax:xip,…`, where a transaction id below xmax and not in the in-progress list had
 * ended when the snapshot was taken, and one at or above xmax had not. Readers take no
 * transaction id, and a transaction that writes always takes one, so the ids that ended
 * between two snapshots are exactly the writes committed (or rolled back) in between.
 *
 * The version stays the same while every id that ended since the snapshot that set it is
 * one of this process's own bookkeeping transactions (the side connection's, noted before
 * they can end: see PostgresSideWriter). Any other id, a CRM write of this process or of
 * another instance, gives a new version; one of another database of the same server, or a
 * rolled-back one, only a needless recompute. Nothing is written to keep it.
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

/** Did `later` see any transaction end that `earlier` had not, other than those in `ignored`? */
export function endedBetween(earlier: TransactionSnapshot, later: TransactionSnapshot, ignored: Set<bigint>): boolean {
  const endedIn = (x: bigint) => x < later.xmax && !later.inProgress.has(x);
  for (const x of earlier.inProgress) if (endedIn(x) && !ignored.has(x)) return true;
  if (later.xmax <= earlier.xmax) return false;
  // The ids from earlier.xmax up to later.xmax, less those still in progress and those ignored.
  let ended = later.xmax - earlier.xmax;
  for (const x of later.inProgress) if (x >= earlier.xmax) ended--;
  for (const x of ignored) if (x >= earlier.xmax && endedIn(x)) ended--;
  return ended > 0n;
}

export class PostgresDataVersion {
  /** This process's bookkeeping transactions that may not have ended before `last`. */
  private readonly own = new Set<bigint>();
  private last: TransactionSnapshot | null = null;
  private version = '';
  private changes = 0;

  /** A bookkeeping transaction of this process: its end changes no version. Note it before it can commit. */
  noteOwn(xid: bigint): void {
    this.own.add(xid);
  }

  /**
   * The version for data read at `snapshot` or later. `unsure`: an own transaction may have
   * ended without being noted yet, so anything that ended counts.
   */
  versionOf(snapshot: string, unsure = false): string {
    const s = parseSnapshot(snapshot);
    const last = this.last;
    if (last && !endedBetween(last, s, unsure ? new Set() : this.own)) {
      // Snapshots answered out of order: an older one keeps the newer as the reference.
      if (s.xmax >= last.xmax) this.advance(s);
      return this.version;
    }
    this.changes++;
    this.version = `${this.changes}@${snapshot}`;
    this.advance(s);
    return this.version;
  }

  private advance(s: TransactionSnapshot): void {
    this.last = s;
    // An own id that had ended at `last` can never end after it.
    for (const x of this.own) if (x < s.xmax && !s.inProgress.has(x)) this.own.delete(x);
  }
}
