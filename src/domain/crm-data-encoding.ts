import type { BulkValue } from '../db/bulk-values';

/**
 * How a CRM data export writes a value of each Prisma field type (crm-data.ts): what JSON
 * cannot hold exactly as a string; and how an import reads it back. Pure, so the threads that
 * write a SQLite export (src/exports/crm-data-worker.ts) and import one
 * (src/backup/sqlite-import-worker.ts) do it the same way without loading Prisma.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

export function encodeValue(type: string, value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'DateTime':
      return (value as Date).toISOString();
    case 'BigInt':
    case 'Decimal':
      return String(value);
    case 'Bytes':
      return Buffer.from(value as Uint8Array).toString('base64');
    default:
      return value as JsonValue;
  }
}

/** A row as the export writes it: every field, in `fields` order, encoded by its type. */
export function encodeRow(
  fields: Iterable<readonly [name: string, type: string]>,
  row: Record<string, unknown>,
): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [field, type] of fields) out[field] = encodeValue(type, row[field]);
  return out;
}

/** A document that cannot be imported; the message says why, for the person running the import. */
export class CrmDataImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CrmDataImportError';
  }
}

/** A value of an import row, decoded by its field's type; refuses one of the wrong JSON type, saying `where`. */
export function decodeValue(type: string, value: unknown, where: string): BulkValue | Buffer {
  if (value === null) return null;
  const fail = (expected: string) =>
    new CrmDataImportError(`${where}: expected ${expected}, got ${JSON.stringify(value)?.slice(0, 40)}`);
  switch (type) {
    case 'DateTime': {
      const d = typeof value === 'string' ? new Date(value) : null;
      if (!d || Number.isNaN(d.getTime())) throw fail('an ISO 8601 date-time');
      return d;
    }
    case 'BigInt':
      if (typeof value !== 'string' || !/^-?\d+$/.test(value)) throw fail('an integer as a string');
      return BigInt(value);
    case 'Decimal':
      if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value)) throw fail('a decimal as a string');
      return value;
    case 'Bytes':
      if (typeof value !== 'string') throw fail('base64 text');
      return Buffer.from(value, 'base64');
    case 'Int':
      if (!Number.isInteger(value)) throw fail('a whole number');
      return value as number;
    case 'Float':
      if (typeof value !== 'number') throw fail('a number');
      return value;
    case 'Boolean':
      if (typeof value !== 'boolean') throw fail('true or false');
      return value;
    case 'String':
      if (typeof value !== 'string') throw fail('text');
      return value;
    default:
      // A field type this importer has no rule for: refused rather than passed through unchecked.
      throw fail(`a value of a type this version cannot import (${type})`);
  }
}

/**
 * An import row's fields (in the row's own order) and their values decoded by type (`types`:
 * the table's field types); refuses a field the table does not have. `where` names the row.
 */
export function decodeRow(
  types: ReadonlyMap<string, string>,
  row: Record<string, unknown>,
  where: string,
): { fields: string[]; values: BulkValue[] } {
  const fields = Object.keys(row);
  const values: BulkValue[] = [];
  for (const field of fields) {
    const type = types.get(field);
    if (!type) throw new CrmDataImportError(`${where}: unknown field "${field}"`);
    // Bytes (a Buffer) only for a field type the bulk insert cannot carry: it goes through createMany.
    values.push(decodeValue(type, row[field], `${where}, ${field}`) as BulkValue);
  }
  return { fields, values };
}
