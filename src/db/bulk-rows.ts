import { Prisma } from '../generated/sqlite/client';
import { type BulkColumnType, type BulkValue, columnExpr, encode } from './bulk-values';
import type { DbProvider } from './client';

/**
 * Bulk rows as ONE JSON parameter instead of one parameter per value. Prisma's raw-query
 * path costs microseconds per bound parameter, which dominates a 10,000-row insert; a
 * single JSON text unpacked by the database (SQLite json_each, PostgreSQL
 * jsonb_array_elements) is several times faster, and the same statement shape works on both.
 */
export type { BulkColumnType, BulkValue } from './bulk-values';

/** A value that is the same for every row: bound once, not repeated in the JSON. */
export interface BulkConstant {
  value: BulkValue;
  type: BulkColumnType;
}

const PG_TYPES: Record<BulkColumnType, string> = {
  text: 'text',
  int: 'integer',
  bigint: 'bigint',
  bool: 'boolean',
  datetime: 'timestamp(3)',
};

function constantExpr(provider: DbProvider, c: BulkConstant): Prisma.Sql {
  const encoded = encode(provider, c.value, c.type);
  // PostgreSQL cannot infer a bare parameter's type in a SELECT list.
  return provider === 'sqlite'
    ? Prisma.sql`${encoded}`
    : Prisma.sql`CAST(${encoded} AS ${Prisma.raw(PG_TYPES[c.type])})`;
}

/**
 * `SELECT <typed columns>, <constants> FROM <rows>` for `INSERT INTO t (...) <this> ON CONFLICT ...`:
 * the row columns first, in `types` order, then the constants. Ends with `WHERE true`
 * because SQLite needs it before ON CONFLICT in an INSERT … SELECT.
 */
export function jsonRowsSelect(
  provider: DbProvider,
  rows: readonly BulkValue[][],
  types: readonly BulkColumnType[],
  constants: readonly BulkConstant[] = [],
): Prisma.Sql {
  // Prisma's cost grows with the bytes of a parameter: a one-column row travels as a bare value.
  const json = JSON.stringify(
    types.length === 1
      ? rows.map((r) => encode(provider, r[0] ?? null, types[0]!))
      : rows.map((r) => types.map((t, i) => encode(provider, r[i] ?? null, t))),
  );
  const columns =
    types.length === 1
      ? columnExpr(provider, null, types[0]!)
      : types.map((t, i) => columnExpr(provider, i, t)).join(', ');
  const selectList = constants.length
    ? Prisma.sql`${Prisma.raw(columns)}, ${Prisma.join(constants.map((c) => constantExpr(provider, c)))}`
    : Prisma.raw(columns);
  return provider === 'sqlite'
    ? Prisma.sql`SELECT ${selectList} FROM json_each(${json}) WHERE true`
    : Prisma.sql`SELECT ${selectList} FROM jsonb_array_elements(CAST(${json} AS jsonb)) AS rows(value) WHERE true`;
}

/** A column of `jsonRowsTable`: its name in the derived table and its type. */
export interface BulkColumn {
  name: string;
  type: BulkColumnType;
}

/**
 * The rows as a derived table with named columns, for `UPDATE t SET … FROM <this> AS r
 * WHERE t."id" = r."id"` (one statement for many rows, the same on both databases).
 */
export function jsonRowsTable(
  provider: DbProvider,
  rows: readonly BulkValue[][],
  columns: readonly BulkColumn[],
): Prisma.Sql {
  const json = JSON.stringify(rows.map((r) => columns.map((c, i) => encode(provider, r[i] ?? null, c.type))));
  const select = columns
    .map((c, i) => `${columnExpr(provider, i, c.type)} AS "${c.name.replace(/"/g, '""')}"`)
    .join(', ');
  return provider === 'sqlite'
    ? Prisma.sql`(SELECT ${Prisma.raw(select)} FROM json_each(${json}))`
    : Prisma.sql`(SELECT ${Prisma.raw(select)} FROM jsonb_array_elements(CAST(${json} AS jsonb)) AS rows(value))`;
}

/** A subquery of the given texts, for `"col" IN (<this>)`: one parameter whatever the count. */
export function jsonTextList(provider: DbProvider, values: readonly string[]): Prisma.Sql {
  const json = JSON.stringify(values);
  return provider === 'sqlite'
    ? Prisma.sql`SELECT value FROM json_each(${json})`
    : Prisma.sql`SELECT jsonb_array_elements_text(CAST(${json} AS jsonb))`;
}

/** A DateTime column read by a raw query: a Date on PostgreSQL, the stored text on SQLite. */
export function rawDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  const d = new Date(typeof value === 'bigint' ? Number(value) : (value as string | number));
  return Number.isNaN(d.getTime()) ? null : d;
}
