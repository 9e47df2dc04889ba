import type { Database } from './client';

/**
 * Bookkeeping writes that are not CRM data (seen Slack requests, the instance heartbeat, the
 * lead sync's run record and lease), on the database's side connection (db.sqliteSideWriter, db.postgresSideWriter): on SQLite
 * they then never join a transaction open on Prisma's one connection (their tables change
 * no data version there, whoever writes them: db/sqlite-data-version.ts); on PostgreSQL they
 * leave the data version Home readers share unchanged (db/postgres-data-version.ts) and never
 * queue behind other queries for a pooled connection. The SQL is the same on both but for
 * the placeholders, numbered in the order the parameters are given (SQLite's are `?`).
 */
export type SideWritesDb = Pick<Database, 'sqliteSideWriter' | 'postgresSideWriter'>;

export interface SideWrites {
  run(sql: string, params: readonly unknown[]): Promise<number>;
  /** Runs one INSERT … RETURNING "id"; resolves with that id. */
  insert(sql: string, params: readonly unknown[]): Promise<number>;
  /** The n-th parameter's placeholder (each parameter appears once, in order). */
  param(n: number): string;
  /** A DateTime as Prisma stores it there, so that comparisons with its rows hold. */
  date(d: Date): string;
}

export function sideWritesOf(db: SideWritesDb): SideWrites {
  const sqlite = db.sqliteSideWriter;
  if (sqlite)
    return {
      run: (sql, params) => sqlite.run(sql, params),
      insert: (sql, params) => sqlite.insert(sql, params),
      param: () => '?',
      date: (d) => d.toISOString().replace('Z', '+00:00'),
    };
  const postgres = db.postgresSideWriter;
  if (postgres)
    return {
      run: (sql, params) => postgres.run(sql, params),
      insert: (sql, params) => postgres.insert(sql, params),
      param: (n) => `$${n}`,
      // UTC in a `timestamp` column: the zone of the text is ignored there.
      date: (d) => d.toISOString(),
    };
  throw new Error('Side writes need a database opened by openDatabase');
}
