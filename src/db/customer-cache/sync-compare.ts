import BetterSqlite3 from 'better-sqlite3';
import type { PendingWork } from '../../domain/customer-snapshots';
import { Prisma } from '../../generated/sqlite/client';
import { jsonRowsTable } from '../bulk-rows';
import type { Database, DbProvider } from '../client';

/**
 * The sync's compare, the same statement on both providers: each customer of a chunk travels
 * as its id and fingerprint (one JSON parameter) and is compared with the fingerprint stored
 * with its figures, found by primary key. Only the customers that are new, whose fingerprint
 * differs, or that have no lead come back, so a no-change sync reads no rows into JavaScript.
 */

/** A customer of a chunk: its id and the fingerprint of its new snapshot. */
export type FingerprintedId = [customerId: string, fingerprint: string];

function pendingSql(provider: DbProvider, chunk: readonly FingerprintedId[]): Prisma.Sql {
  const n = jsonRowsTable(provider, chunk, [
    { name: 'id', type: 'text' },
    { name: 'fp', type: 'text' },
  ]);
  return Prisma.sql`
    SELECT n."id",
      CASE WHEN c."customerId" IS NULL THEN 0 ELSE 1 END AS "known",
      CASE WHEN c."customerId" IS NULL OR c."fingerprint" <> n."fp" THEN 1 ELSE 0 END AS "changed",
      CASE WHEN l."id" IS NULL THEN 0 ELSE 1 END AS "hasLead"
    FROM ${n} n
    LEFT JOIN "CustomerFigures" c ON c."customerId" = n."id" LEFT JOIN "Lead" l ON l."customerId" = n."id"
    WHERE c."customerId" IS NULL OR c."fingerprint" <> n."fp" OR l."id" IS NULL`;
}

type PendingRow = { id: string; known: number | bigint; changed: number | bigint; hasLead: number | bigint };

function pendingFromRows(rows: readonly PendingRow[]): Map<string, PendingWork> {
  return new Map(
    rows.map((r) => [
      r.id,
      { known: Number(r.known) === 1, changed: Number(r.changed) === 1, needsLead: Number(r.hasLead) === 0 },
    ]),
  );
}

/**
 * Which customers of a chunk need writing. On SQLite the statement runs straight on the
 * app's own read connection when the database offers it: through Prisma, compiling the
 * query and carrying the parameter cost more than the comparison.
 */
export async function pendingWork(
  db: Pick<Database, 'prisma' | 'provider' | 'sqliteRawRead'>,
  chunk: readonly FingerprintedId[],
): Promise<Map<string, PendingWork>> {
  const query = pendingSql(db.provider, chunk);
  const rows = db.sqliteRawRead
    ? ((await db.sqliteRawRead(query.sql, query.values)) as PendingRow[])
    : await db.prisma.$queryRaw<PendingRow[]>(query);
  return pendingFromRows(rows);
}

/**
 * The compare on a read-only SQLite connection of its own (the sync's worker thread).
 * Blocking on a lock is harmless there: that thread serves no one else.
 */
export function openSqliteCompare(path: string): {
  compare(chunk: readonly FingerprintedId[]): Map<string, PendingWork>;
  close(): void;
} {
  const connection = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  connection.pragma('busy_timeout = 10000');
  // The statement's text is the same for every chunk: only its one parameter differs.
  const statement = connection.prepare(pendingSql('sqlite', []).sql);
  return {
    compare: (chunk) => pendingFromRows(statement.all(...pendingSql('sqlite', chunk).values) as PendingRow[]),
    close: () => connection.close(),
  };
}
