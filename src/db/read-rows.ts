import type { Prisma } from '../generated/sqlite/client';

/**
 * A raw read past Prisma's client, for the small reads every Home open and every Slack
 * request makes (the viewer's facts, the reader's start, the latest sync run). Through
 * `prisma.$queryRaw` each costs far more in the client (query compiler, request building,
 * result decoding, promise plumbing) than in the database; here the statement goes straight
 * to the driver, on the connection Prisma itself uses, and its rows come back as
 * `$queryRaw` would return them: each provider's reader decodes the columns as Prisma does
 * (BigInt or number, booleans, dates, NULLs), and a test compares the two on both.
 *
 * - SQLite (sqlite-row-reader.ts): on Prisma's own better-sqlite3 connection, at once, as
 *   Prisma runs a query outside a transaction: it sees what Prisma's next query would see,
 *   an open transaction's writes included (the data versions count on that:
 *   sqlite-data-version.ts).
 * - PostgreSQL (postgres-row-reader.ts): on a connection of the pool Prisma's adapter
 *   queries through, one statement outside any transaction.
 *
 * Not for reads inside a transaction (they go through its client), nor for bulk reads
 * (off-loop-reads.ts): a read of a few rows.
 */
export type RowReader = (query: Prisma.Sql) => Promise<Record<string, unknown>[]>;

/** The rows of `query`, decoded as `prisma.$queryRaw` decodes them (see RowReader). */
export function readRows<Row>(db: { readonly rowReader: RowReader }, query: Prisma.Sql): Promise<Row[]> {
  return db.rowReader(query) as Promise<Row[]>;
}
