import type BetterSqlite3 from 'better-sqlite3';

/**
 * Runs `work` (reads on `db`, which may wait between them) inside one read transaction, so
 * every read sees the database as it was at the first one, whatever other connections commit
 * meanwhile: an export read page by page is one snapshot. `BEGIN` is deferred, so it takes no
 * lock: writers go on. While it is open the write-ahead log cannot be checkpointed past its
 * snapshot (Litestream's checkpoints wait too, and the log grows), so it lasts as long as
 * `work` only.
 */
export async function inSqliteReadSnapshot<T>(db: BetterSqlite3.Database, work: () => Promise<T>): Promise<T> {
  db.exec('BEGIN');
  try {
    const result = await work();
    db.exec('COMMIT');
    return result;
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}
