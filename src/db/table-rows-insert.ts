import { Prisma } from '../generated/sqlite/client';
import { type BulkColumnType, type BulkValue, jsonRowsSelect } from './bulk-rows';
import type { CrmTx, DbProvider } from './client';

/**
 * Whole-table inserts for a data import: many rows of one table in ONE statement, the rows as
 * one JSON parameter (bulk-rows.ts), where Prisma's createMany costs tens of microseconds a
 * value on the calling thread (a 200,000-lead import took ten minutes, most of it there).
 * The statement is the same on both databases; the values arrive decoded (Date, bigint…).
 */

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Inserts `rows` (each holding a value for every one of `columns`, in that order) into
 * `table`, in one statement, inside the caller's transaction.
 */
export async function insertTableRows(
  tx: CrmTx,
  provider: DbProvider,
  table: string,
  columns: readonly { name: string; type: BulkColumnType }[],
  rows: readonly BulkValue[][],
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map((c) => quoted(c.name)).join(', ');
  await tx.$executeRaw`INSERT INTO ${Prisma.raw(quoted(table))} (${Prisma.raw(names)}) ${jsonRowsSelect(
    provider,
    rows,
    columns.map((c) => c.type),
  )}`;
}
