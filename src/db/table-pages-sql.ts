import type BetterSqlite3 from 'better-sqlite3';

/**
 * Every row of a table in primary-key order, a page at a time, straight through
 * better-sqlite3 on SQLite, with each value as Prisma's client reads it (DateTime a Date,
 * BigInt a bigint, Boolean a boolean): for the thread that writes a SQLite data export
 * (src/exports/crm-data-worker.ts). Loads no Prisma.
 */

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The field types this reader turns into Prisma's values; a table with another type is read through Prisma. */
export const SQLITE_PAGE_TYPES: readonly string[] = ['String', 'Int', 'BigInt', 'Boolean', 'DateTime', 'Float'];

function prismaValue(type: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'DateTime':
      // Stored as Prisma writes it (ISO text with an offset), or as epoch milliseconds.
      return new Date(typeof value === 'bigint' ? Number(value) : (value as string | number));
    case 'BigInt':
      return BigInt(value as bigint | number);
    case 'Int':
    case 'Float':
      return Number(value);
    case 'Boolean':
      return Boolean(Number(value));
    case 'String':
      return value;
    default:
      throw new Error(`a ${type} column cannot be read here`);
  }
}

export class SqliteTablePages {
  private readonly first: BetterSqlite3.Statement;
  private readonly next: BetterSqlite3.Statement;
  private last: unknown[] | null = null;

  constructor(
    db: BetterSqlite3.Database,
    table: string,
    private readonly fields: readonly (readonly [name: string, type: string])[],
    private readonly keys: readonly string[],
  ) {
    const columns = fields.map(([name]) => quoted(name)).join(', ');
    const order = keys.map((k) => `${quoted(k)} ASC`).join(', ');
    const keyList = keys.map(quoted).join(', ');
    const after = keys.length === 1 ? `${keyList} > ?` : `(${keyList}) > (${keys.map(() => '?').join(', ')})`;
    this.first = db.prepare(`SELECT ${columns} FROM ${quoted(table)} ORDER BY ${order} LIMIT ?`).safeIntegers(true);
    this.next = db
      .prepare(`SELECT ${columns} FROM ${quoted(table)} WHERE ${after} ORDER BY ${order} LIMIT ?`)
      .safeIntegers(true);
  }

  /** The next page of at most `size` rows; empty when every row was read. */
  page(size: number): Record<string, unknown>[] {
    const raw = (this.last ? this.next.all(...this.last, size) : this.first.all(size)) as Record<string, unknown>[];
    if (raw.length === 0) return [];
    const end = raw[raw.length - 1]!;
    this.last = this.keys.map((k) => end[k]);
    return raw.map((r) => {
      const out: Record<string, unknown> = {};
      for (const [name, type] of this.fields) out[name] = prismaValue(type, r[name]);
      return out;
    });
  }
}
