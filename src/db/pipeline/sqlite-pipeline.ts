import { Prisma } from '../../generated/sqlite/client';
import { LEAD_COLUMNS } from './lead-columns';

/**
 * Above this many index entries to walk, a page reads the stage's leads and sorts them
 * instead of walking customers by USD: a sparse stage or a deep page would walk too far.
 */
const MAX_USD_INDEX_WALK = 5_000;

/** SQLite: the join order is chosen here (CROSS JOIN fixes it), where SQLite's own plan walks Lead and probes at random. */
export const sqlitePipeline = {
  // Unless one stage narrows the leads, reading customers (by the last-order index) and probing Lead is faster.
  scanFrom: (oneStage: boolean) =>
    oneStage
      ? Prisma.sql`"Lead" l CROSS JOIN "CustomerFigures" c`
      : Prisma.sql`"CustomerFigures" c CROSS JOIN "Lead" l`,
  // Walking the lifetimeUsdCents index stops after a few rows when the stage is dense, where
  // SQLite's own choice reads and sorts the whole stage. Both orders tie-break on the index's own order.
  pageSql: (where: Prisma.Sql, limit: number, offset: number, walk: number) => {
    const from =
      walk <= MAX_USD_INDEX_WALK
        ? Prisma.sql`"CustomerFigures" c CROSS JOIN "Lead" l`
        : Prisma.sql`"Lead" l CROSS JOIN "CustomerFigures" c`;
    return Prisma.sql`SELECT ${LEAD_COLUMNS} FROM ${from} ${where}
      ORDER BY c."lifetimeUsdCents" DESC, c.rowid DESC LIMIT ${limit} OFFSET ${offset}`;
  },
  // total_changes() counts the rows this process's one connection changed; data_version
  // changes when another connection (another instance) commits.
  versionColumns: Prisma.sql`total_changes() AS "tc"`,
  otherCommitsColumn: Prisma.sql`(SELECT data_version FROM pragma_data_version) AS "dv"`,
};
