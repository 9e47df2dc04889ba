import type { RowReader } from './read-rows';
import { type PrismaSqliteConnection, retryOnBusy } from './sqlite-adapter';

/**
 * SQLite's RowReader (read-rows.ts): the statement runs on Prisma's own connection (the
 * adapter's better-sqlite3 handle, its statements from the adapter's cache), at once, as the
 * adapter runs a query made outside a transaction: neither waits for a transaction open on
 * the connection, and both see its writes. That is what the data versions need of a read
 * that carries one (sqlite-data-version.ts): a rollback after it starts a new epoch, and
 * better-sqlite3 runs the statement in the call, so no rollback falls between the epoch read
 * before it and the statement.
 */
export function sqliteRowReader(
  connection: () => PrismaSqliteConnection | null,
  connect: () => Promise<void>,
): RowReader {
  return async (query) => {
    // Prisma opens its connection on its first query, and again after a disconnect.
    let c = connection();
    if (!c) {
      await connect();
      c = connection();
      if (!c) throw new Error('Prisma connected without a SQLite connection');
    }
    const open = c;
    const args = query.values.map(sqliteArg);
    return retryOnBusy(() => {
      const statement = open.prepared(query.sql);
      const columns = statement.columns();
      const rows = statement.raw(true).all(...args) as unknown[][];
      return decodeRows(columns, rows);
    }, open.wait);
  };
}

/** A parameter as Prisma's adapter binds it: booleans 0/1, dates ISO 8601 with +00:00. */
function sqliteArg(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return value;
  throw new Error(`readRows cannot bind a ${typeof value} on SQLite: use prisma.$queryRaw`);
}

/** How a column's values come out of Prisma's `$queryRaw`, by the type it is declared with. */
type Decode = (value: unknown) => unknown;

const asNumber: Decode = (v) => Math.trunc(Number(v));
const asBigInt: Decode = (v) => BigInt(typeof v === 'number' ? Math.trunc(v) : (v as bigint | string));
const asDate: Decode = (v) => new Date(typeof v === 'string' ? v : Number(v));
// The adapter hands integers on as text; Prisma takes "1" and "true" (and a number 1) as true.
const asBoolean: Decode = (v) => (typeof v === 'boolean' ? v : v === 1 || String(v) === '1' || v === 'true');
const asText: Decode = (v) => (typeof v === 'bigint' ? v.toString() : v);
const asIs: Decode = (v) => v;

/** Declared types as Prisma's better-sqlite3 adapter maps them (mapDeclType), those this app's schema uses. */
const DECLARED: Record<string, Decode> = {
  INT: asNumber,
  INTEGER: asNumber,
  TINYINT: asNumber,
  SMALLINT: asNumber,
  MEDIUMINT: asNumber,
  SERIAL: asNumber,
  INT2: asNumber,
  BIGINT: asBigInt,
  INT8: asBigInt,
  'UNSIGNED BIG INT': asBigInt,
  DATETIME: asDate,
  TIMESTAMP: asDate,
  BOOLEAN: asBoolean,
  TEXT: asText,
  CLOB: asText,
  CHARACTER: asText,
  VARCHAR: asText,
  'VARYING CHARACTER': asText,
  NCHAR: asText,
  'NATIVE CHARACTER': asText,
  NVARCHAR: asText,
};

/** Declared types Prisma decodes in ways this reader does not (decimals, floats, blobs, JSON, dates alone). */
const NOT_DECODED = new Set([
  'DECIMAL',
  'FLOAT',
  'DOUBLE',
  'DOUBLE PRECISION',
  'NUMERIC',
  'REAL',
  'TIME',
  'DATE',
  'BLOB',
  'JSONB',
]);

/**
 * A column without a declared type (an expression, a subquery) takes the type of its first
 * value that is not NULL, as the adapter infers it: text, or an integer (a BigInt, as SQLite
 * answers it on Prisma's connection, which reads integers safely).
 */
function inferred(rows: unknown[][], index: number): Decode {
  for (const row of rows) {
    const v = row[index];
    if (v === null) continue;
    if (typeof v === 'string') return asText;
    if (typeof v === 'bigint') return asBigInt;
    if (typeof v === 'number') return asIs;
    throw new Error(`readRows cannot decode a ${typeof v} on SQLite: use prisma.$queryRaw`);
  }
  return asIs;
}

function decoderOf(declared: string | null, rows: unknown[][], index: number): Decode {
  const type = (declared ?? '').toUpperCase();
  if (NOT_DECODED.has(type)) throw new Error(`readRows does not decode SQLite ${type} columns: use prisma.$queryRaw`);
  return DECLARED[type] ?? inferred(rows, index);
}

function decodeRows(columns: { name: string; type: string | null }[], rows: unknown[][]): Record<string, unknown>[] {
  const decoders = columns.map((c, i) => decoderOf(c.type, rows, i));
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) {
      const v = row[i];
      out[columns[i]!.name] = v === null || v === undefined ? null : decoders[i]!(v);
    }
    return out;
  });
}
