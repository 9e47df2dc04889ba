import BetterSqlite3 from 'better-sqlite3';
import type { PendingWork } from '../../domain/customer-snapshots';
import { limitPageCache } from '../sqlite-page-cache';

/**
 * The sync's compare as the worker thread runs it on SQLite (sync-compare.ts makes the
 * statement), and what its rows mean. Free of the Prisma client, which that thread does not load.
 */

/** A customer of a chunk: its id and the fingerprint of its new snapshot. */
export type FingerprintedId = [customerId: string, fingerprint: string];

export type PendingRow = { id: string; known: number | bigint; changed: number | bigint; hasLead: number | bigint };

export function pendingFromRows(rows: readonly PendingRow[]): Map<string, PendingWork> {
  return new Map(
    rows.map((r) => [
      r.id,
      { known: Number(r.known) === 1, changed: Number(r.changed) === 1, needsLead: Number(r.hasLead) === 0 },
    ]),
  );
}

/**
 * The compare on a read-only SQLite connection of its own (the sync's worker thread), with
 * the statement `sql` (sqliteCompareSql). Blocking on a lock is harmless there: that thread
 * serves no one else.
 */
export function openSqliteCompare(
  path: string,
  sql: string,
): {
  compare(chunk: readonly FingerprintedId[]): Map<string, PendingWork>;
  close(): void;
} {
  const connection = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  connection.pragma('busy_timeout = 10000');
  limitPageCache(connection);
  const statement = connection.prepare(sql);
  return {
    // The chunk's one parameter, as bulk-rows.ts encodes text columns: [[id, fingerprint], …].
    compare: (chunk) => pendingFromRows(statement.all(JSON.stringify(chunk)) as PendingRow[]),
    close: () => connection.close(),
  };
}
