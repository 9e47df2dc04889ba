import type { CustomerSnapshot, PendingWork } from '../../domain/customer-snapshots';
import { Prisma } from '../../generated/sqlite/client';
import { jsonRowsSelect } from '../bulk-rows';
import type { Database } from '../client';
import { FIGURE_COLUMNS, FIGURE_TYPES, figureValues, TOTAL_COLUMNS, TOTAL_TYPES, totalValues } from './cache-columns';

/**
 * The no-change sync's compare on PostgreSQL: the chunk's figures and totals travel as JSON
 * parameters and are compared column by column (IS DISTINCT FROM) with the stored rows,
 * found by primary key; only the customers that differ (or have no lead) come back.
 */
export async function postgresPendingWork(
  db: Pick<Database, 'prisma'>,
  chunk: readonly CustomerSnapshot[],
): Promise<Map<string, PendingWork>> {
  const differs = Prisma.raw('IS DISTINCT FROM');
  const cols = (names: string[]) => Prisma.raw(names.map((c) => `"${c}"`).join(', '));
  const figureDiffers = Prisma.join(
    FIGURE_COLUMNS.slice(1).map((c) => Prisma.sql`c.${Prisma.raw(`"${c}"`)} ${differs} n.${Prisma.raw(`"${c}"`)}`),
    ' OR ',
  );
  const totalDiffers = Prisma.join(
    TOTAL_COLUMNS.slice(2).map((c) => Prisma.sql`s.${Prisma.raw(`"${c}"`)} ${differs} t.${Prisma.raw(`"${c}"`)}`),
    ' OR ',
  );
  const figures = chunk.map((snap) => [...figureValues(snap.figures), snap.totals.length]);
  const totals = chunk.flatMap((snap) => snap.totals.map(totalValues));
  const rows = await db.prisma.$queryRaw<
    { id: string; known: number | bigint; changed: number | bigint; hasLead: number | bigint }[]
  >`
    WITH n(${cols([...FIGURE_COLUMNS, 'totalsCount'])}) AS (${jsonRowsSelect('postgres', figures, [...FIGURE_TYPES, 'int'])}),
         t(${cols(TOTAL_COLUMNS)}) AS (${jsonRowsSelect('postgres', totals, TOTAL_TYPES)}),
         changedTotals AS (
           SELECT t."customerId" FROM t LEFT JOIN "CustomerCurrencyTotal" s ON s."customerId" = t."customerId" AND s."currency" = t."currency"
           WHERE s."customerId" IS NULL OR ${totalDiffers})
    SELECT * FROM (
      SELECT n."customerId" AS "id",
        CASE WHEN c."customerId" IS NULL THEN 0 ELSE 1 END AS "known",
        CASE WHEN c."customerId" IS NULL OR ${figureDiffers}
          OR (SELECT COUNT(*) FROM "CustomerCurrencyTotal" s WHERE s."customerId" = n."customerId") <> n."totalsCount"
          OR n."customerId" IN (SELECT "customerId" FROM changedTotals) THEN 1 ELSE 0 END AS "changed",
        CASE WHEN l."id" IS NULL THEN 0 ELSE 1 END AS "hasLead"
      FROM n LEFT JOIN "CustomerFigures" c ON c."customerId" = n."customerId" LEFT JOIN "Lead" l ON l."customerId" = n."customerId"
    ) w WHERE "changed" = 1 OR "hasLead" = 0`;
  return new Map(
    rows.map((r) => [
      r.id,
      { known: Number(r.known) === 1, changed: Number(r.changed) === 1, needsLead: Number(r.hasLead) === 0 },
    ]),
  );
}
