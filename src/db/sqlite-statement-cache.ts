import type BetterSqlite3 from 'better-sqlite3';

/**
 * Prisma's better-sqlite3 adapter prepares every statement again each time it runs one
 * (`client.prepare(sql).bind(args)`): SQLite parses and plans the same text over and over,
 * a good part of a small query's time. This keeps the last `size` prepared statements of a
 * connection by their text and hands the adapter a statement bound for one run, without
 * binding the cached one (a bound statement could not run with other arguments).
 *
 * Only what the adapter uses is offered: `reader`, `columns()`, `raw().all()` and `run()`.
 * Each runs to completion before it returns, so a cached statement is never in use twice.
 * The same cache is returned, for the reads made past Prisma on its connection
 * (sqlite-row-reader.ts): a statement from it is run to completion at once, as the adapter
 * runs its own, and in raw mode or not as the reader sets it each time.
 */
interface BoundOnce {
  readonly reader: boolean;
  columns(): BetterSqlite3.ColumnDefinition[];
  raw(): { all(): unknown[] };
  run(): BetterSqlite3.RunResult;
}

/** A prepared statement of a connection by its text, from its cache. */
export type PreparedStatements = (sql: string) => BetterSqlite3.Statement;

export function cachePreparedStatements(client: BetterSqlite3.Database, size = 256): PreparedStatements {
  const prepare = client.prepare.bind(client);
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepared = (sql: string): BetterSqlite3.Statement => {
    const hit = cache.get(sql);
    if (hit) {
      // Most recently used last: the first key is the one to drop.
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const statement = prepare(sql);
    cache.set(sql, statement);
    if (cache.size > size) cache.delete(cache.keys().next().value!);
    return statement;
  };
  const cached = (sql: string) => {
    const statement = prepared(sql);
    return {
      bind: (args: unknown[]): BoundOnce => ({
        reader: statement.reader,
        columns: () => statement.columns(),
        raw: () => ({ all: () => statement.raw(true).all(args) }),
        run: () => statement.run(args),
      }),
    };
  };
  (client as unknown as { prepare: typeof cached }).prepare = cached;
  return prepared;
}
