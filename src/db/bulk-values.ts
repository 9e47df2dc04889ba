import type { DbProvider } from './client';

/**
 * How a bulk statement carries each value in its JSON parameter, and the SQL that reads it
 * back as its column's type (bulk-rows.ts builds the statements through Prisma;
 * sqlite-table-import.ts runs them on a connection of its own). Loads no Prisma.
 */
export type BulkColumnType = 'text' | 'int' | 'bigint' | 'bool' | 'datetime';

export type BulkValue = string | number | bigint | boolean | Date | null;

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

/** How the Prisma SQLite adapter stores a DateTime (ISO 8601 with an explicit UTC offset); kept identical so comparisons work. */
function sqliteDate(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}

export function encode(provider: DbProvider, value: BulkValue, type: BulkColumnType): string | number | boolean | null {
  if (value === null) return null;
  switch (type) {
    case 'datetime':
      if (!(value instanceof Date)) throw new TypeError('datetime column needs a Date');
      return provider === 'sqlite' ? sqliteDate(value) : value.toISOString();
    case 'bigint':
      // As text: a JSON number would lose precision beyond 2^53.
      return String(value);
    case 'bool':
      return provider === 'sqlite' ? (value ? 1 : 0) : Boolean(value);
    case 'int':
      return Number(value);
    case 'text':
      return String(value);
  }
}

/** The SQL reading one column of a JSON row (`index`), or the whole element when rows are bare values (null). */
export function columnExpr(provider: DbProvider, index: number | null, type: BulkColumnType): string {
  const v = index === null ? (provider === 'sqlite' ? 'value' : "(value #>> '{}')") : `value->>${index}`;
  if (provider === 'sqlite')
    return type === 'int' || type === 'bigint' || type === 'bool' ? `CAST(${v} AS INTEGER)` : v;
  switch (type) {
    case 'int':
      return `CAST(${v} AS integer)`;
    case 'bigint':
      return `CAST(${v} AS bigint)`;
    case 'bool':
      return `CAST(${v} AS boolean)`;
    case 'datetime':
      return `CAST(${v} AS timestamp(3))`;
    case 'text':
      return v;
  }
}
