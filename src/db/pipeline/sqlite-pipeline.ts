import { Prisma } from '../../generated/sqlite/client';
import { SQLITE_DATA_VERSION_COLUMNS } from '../sqlite-data-version';
import { LEAD_COLUMNS } from './lead-columns';

/**
 * Above this many entries of a stage's USD index to walk (the "uncontacted" filter, which
 * the index does not hold), a page reads the recent orderers instead and sorts them.
 */
const MAX_USD_INDEX_WALK = 5_000;

/** SQLite: the join order is chosen here (CROSS JOIN fixes it), where SQLite's own plan walks Lead and probes at random. */
export const sqlitePipeline = {
  // Unless one stage narrows the leads, reading customers (by the last-order index) and probing Lead is faster.
  scanFrom: (oneStage: boolean) =>
    oneStage
      ? Prisma.sql`"Lead" l CROSS JOIN "CustomerFigures" c`
      : Prisma.sql`"CustomerFigures" c CROSS JOIN "Lead" l`,
  // A range of the lead's (stage, lifetimeUsdCents, customerId) index, or of the one with the
  // owner first, walked from the top: it stops after the page. A sparse "uncontacted" page
  // would walk far: it reads the customers who ordered in the window (by their last-order
  // index) and sorts those instead. Both orders tie-break on the index's own order.
  pageSql: (where: Prisma.Sql, limit: number, offset: number, walk: number) => {
    const from =
      walk <= MAX_USD_INDEX_WALK
        ? Prisma.sql`"Lead" l CROSS JOIN "CustomerFigures" c`
        : Prisma.sql`"CustomerFigures" c CROSS JOIN "Lead" l`;
    return Prisma.sql`SELECT ${LEAD_COLUMNS} FROM ${from} ${where}
      ORDER BY l."lifetimeUsdCents" DESC, l."customerId" DESC LIMIT ${limit} OFFSET ${offset}`;
  },
  // The counters the triggers keep (sqlite-data-version.ts).
  versionColumns: Prisma.raw(SQLITE_DATA_VERSION_COLUMNS),
};
