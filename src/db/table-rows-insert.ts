import { Prisma } from '../generated/sqlite/client';
import { type BulkColumnType, type BulkValue, jsonRowsSelect } from './bulk-rows';
import type { CrmTx, DbProvider } from './client';

/**
 * Whole-table inserts for a data import: many rows of one table in ONE statement, the rows as
 * one JSON parameter (bulk-rows.ts), where Prisma's createMany costs tens of microseconds a
 * value on the calling thread (a 200,000-lead import took ten minutes, most of it there).
 * The statement is the same on both databases; the values arrive decoded (Date, bigint…).
 */

/** A Prisma scalar type this insert can carry, and how the JSON row holds it. */
const COLUMN_TYPES: Record<string, BulkColumnType> = {
  String: 'text',
  Int: 'int',
  BigInt: 'bigint',
  Boolean: 'bool',
  DateTime: 'datetime',
};

/** The column type for a Prisma field type, or null when the JSON rows cannot carry it. */
export function bulkColumnTypeOf(prismaType: string): BulkColumnType | null {
  return COLUMN_TYPES[prismaType] ?? null;
}

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
