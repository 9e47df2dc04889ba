import { Prisma } from '../../generated/sqlite/client';
import { LEAD_COLUMNS } from './lead-columns';

/** PostgreSQL plans these itself. */
export const postgresPipeline = {
  scanFrom: (_oneStage: boolean) => Prisma.sql`"Lead" l CROSS JOIN "CustomerFigures" c`,
  pageSql: (where: Prisma.Sql, limit: number, offset: number, _walk: number) =>
    Prisma.sql`SELECT ${LEAD_COLUMNS} FROM "Lead" l CROSS JOIN "CustomerFigures" c ${where}
      ORDER BY l."lifetimeUsdCents" DESC, l."customerId" DESC LIMIT ${limit} OFFSET ${offset}`,
  // The query's transaction snapshot: which writes had ended (db/postgres-data-version.ts).
  versionColumns: Prisma.sql`CAST(pg_current_snapshot() AS TEXT) AS "ps"`,
};
