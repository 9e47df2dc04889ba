import type { Pool } from 'pg';
import type { RowReader } from './read-rows';

/**
 * PostgreSQL's RowReader (read-rows.ts): one statement on a connection of the pool Prisma's
 * adapter queries through (client.ts hands the adapter that pool), outside any transaction,
 * as Prisma runs a query made outside one. Each statement has a snapshot of its own, so the
 * data versions read with it (postgres-data-version.ts) hold on any connection of the pool.
 *
 * The values arrive as the server's text and are decoded here as Prisma's pg adapter and
 * client decode them for `$queryRaw`: int2/int4 numbers, int8 and oid BigInts, booleans,
 * floats, text, and timestamps as UTC dates.
 */
export function postgresRowReader(pool: Pool): RowReader {
  return async (query) => {
    const result = await pool.query<unknown[]>({
      text: query.text,
      values: query.values.map(postgresArg),
      rowMode: 'array',
      // Every value as the server's text: decoded below, by the column's type.
      types: { getTypeParser: () => (text: string) => text } as never,
    });
    const decoders = result.fields.map((f) => decoderOf(f.dataTypeID));
    return result.rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < result.fields.length; i++) {
        const v = row[i];
        out[result.fields[i]!.name] = v === null || v === undefined ? null : decoders[i]!(v as string);
      }
      return out;
    });
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A parameter as Prisma's pg adapter binds it: dates as UTC `YYYY-MM-DD HH:MM:SS[.mmm]`, BigInts as text. */
function postgresArg(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    const ms = value.getUTCMilliseconds();
    return (
      `${pad(value.getUTCFullYear(), 4)}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())} ` +
      `${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}` +
      (ms ? `.${pad(ms, 3)}` : '')
    );
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new Error(`readRows cannot bind a ${typeof value} on PostgreSQL: use prisma.$queryRaw`);
}

type Decode = (text: string) => unknown;

const asText: Decode = (t) => t;
const asInt: Decode = (t) => Number.parseInt(t, 10);
const asBigInt: Decode = (t) => BigInt(t);
const asFloat: Decode = (t) => Number.parseFloat(t);
const asBoolean: Decode = (t) => t === 't' || t === 'true';
// Prisma reads `timestamp` as UTC, and puts +00:00 in place of a `timestamptz`'s own offset.
const asTimestamp: Decode = (t) => new Date(`${t.replace(' ', 'T')}+00:00`);
const asTimestampTz: Decode = (t) => new Date(t.replace(' ', 'T').replace(/[+-]\d{2}(:\d{2})?$/, '+00:00'));
const asDate: Decode = (t) => new Date(t);

/** Column types by OID (pg-types builtins), as Prisma's pg adapter maps them (fieldToColumnType). */
const BY_OID: Record<number, Decode> = {
  16: asBoolean, // bool
  20: asBigInt, // int8
  21: asInt, // int2
  23: asInt, // int4
  25: asText, // text
  26: asBigInt, // oid
  700: asFloat, // float4
  701: asFloat, // float8
  1042: asText, // bpchar
  1043: asText, // varchar
  1082: asDate, // date
  1114: asTimestamp, // timestamp
  1184: asTimestampTz, // timestamptz
  2950: asText, // uuid
};

/** Where user-defined types (enums and the like) start: Prisma's adapter reads them as text. */
const FIRST_NORMAL_OBJECT_ID = 16384;

function decoderOf(oid: number): Decode {
  const decode = BY_OID[oid] ?? (oid >= FIRST_NORMAL_OBJECT_ID ? asText : undefined);
  if (!decode) throw new Error(`readRows does not decode PostgreSQL type ${oid}: use prisma.$queryRaw`);
  return decode;
}
