/**
 * How a CRM data export writes a value of each Prisma field type (crm-data.ts): what JSON
 * cannot hold exactly as a string. Pure, so the thread that writes a SQLite export
 * (src/exports/crm-data-worker.ts) writes the same text without loading Prisma.
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
