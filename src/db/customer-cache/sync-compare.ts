import type { PendingWork } from '../../domain/customer-snapshots';
import { Prisma } from '../../generated/sqlite/client';
import { jsonRowsTable } from '../bulk-rows';
import type { Database, DbProvider } from '../client';
import { type FingerprintedId, type PendingRow, pendingFromRows } from './sync-compare-rows';

/**
 * The sync's compare, the same statement on both providers: each customer of a chunk travels
 * as its id and fingerprint (one JSON parameter) and is compared with the fingerprint stored
 * with its figures, found by primary key. Only the customers that are new, whose fingerprint
 * differs, or that have no lead come back, so a no-change sync reads no rows into JavaScript.
 */

export type { FingerprintedId } from './sync-compare-rows';

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
 * The compare's SQLite statement: its one parameter is the chunk as JSON (see
 * sync-compare-rows.ts). Made here, handed to the sync's worker thread as text, so that
 * thread does not load the Prisma client (about 11 MB) to build it.
 */
export function sqliteCompareSql(): string {
  return pendingSql('sqlite', []).sql;
}
