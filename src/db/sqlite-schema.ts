import Database from 'better-sqlite3';
import { freshSqliteAt } from './migrate';

/**
 * A SQLite database's whole schema as data, to compare a file with what the migrations make:
 * every table, index, trigger and view in sqlite_master (SQLite's own `sqlite_*` objects
 * left out), each with its CREATE statement, and each table's columns as SQLite reports
 * them (name, declared type, NOT NULL, default, primary-key position).
 */
export interface SchemaColumn {
  name: string;
  type: string;
  notNull: boolean;
  defaultValue: string | null;
  primaryKey: number;
}

export interface SchemaObject {
  type: 'table' | 'index' | 'trigger' | 'view';
  name: string;
  /** The table an index or trigger belongs to (a table's or view's own name). */
  table: string;
  /** The CREATE statement, whitespace normalised; null for indexes SQLite makes itself. */
  sql: string | null;
  /** Tables only. */
  columns?: SchemaColumn[];
}

/** Prisma's migration history: its columns are compared, not its CREATE text, which differs between Prisma's CLI and our migrator. */
const MIGRATIONS_TABLE = '_prisma_migrations';

/** Whitespace runs become one space, none next to punctuation: formatting is not schema. */
export function normaliseSql(sql: string): string {
  return sql
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),;])\s*/g, '$1')
    .trim();
}

export function readSqliteSchema(db: Database.Database): SchemaObject[] {
  const rows = db
    .prepare(
      "SELECT type, name, tbl_name AS \"table\", sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name",
    )
    .all() as { type: SchemaObject['type']; name: string; table: string; sql: string | null }[];
  return rows.map((r) => {
    const object: SchemaObject = {
      type: r.type,
      name: r.name,
      table: r.table,
      sql: r.sql ? normaliseSql(r.sql) : null,
    };
    if (r.type === 'table') {
      const columns = db
        .prepare('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_xinfo(?)')
        .all(r.name) as {
        name: string;
        type: string;
        notnull: number;
        dflt_value: string | null;
        pk: number;
      }[];
      object.columns = columns.map((c) => ({
        name: c.name,
        type: c.type,
        notNull: c.notnull === 1,
        defaultValue: c.dflt_value,
        primaryKey: c.pk,
      }));
    }
    return object;
  });
}

const quote = (name: string) => `"${name}"`;

function describeColumn(c: SchemaColumn): string {
  return [
    c.type || 'untyped',
    c.notNull ? 'NOT NULL' : 'nullable',
    c.defaultValue !== null ? `DEFAULT ${c.defaultValue}` : null,
    c.primaryKey ? 'PRIMARY KEY' : null,
  ]
    .filter(Boolean)
    .join(' ');
}

function columnDifferences(table: string, expected: SchemaColumn[], actual: SchemaColumn[]): string[] {
  const out: string[] = [];
  const want = new Map(expected.map((c) => [c.name, c]));
  const have = new Map(actual.map((c) => [c.name, c]));
  for (const c of actual) if (!want.has(c.name)) out.push(`an extra column ${quote(c.name)} in table ${quote(table)}`);
  for (const c of expected)
    if (!have.has(c.name)) out.push(`column ${quote(c.name)} of table ${quote(table)} is missing`);
  for (const c of expected) {
    const a = have.get(c.name);
    if (a && describeColumn(a) !== describeColumn(c))
      out.push(
        `column ${quote(c.name)} of table ${quote(table)} is ${describeColumn(a)} (expected ${describeColumn(c)})`,
      );
  }
  return out;
}

function where(o: SchemaObject): string {
  return o.type === 'index' || o.type === 'trigger' ? ` on ${quote(o.table)}` : '';
}

/**
 * How `actual` differs from `expected`, one phrase per difference, naming the object:
 * "an extra trigger "x" on "Activity"", "index "y" on "Lead" is missing", "column … is …".
 * Empty when they are the same schema.
 */
export function schemaDifferences(expected: SchemaObject[], actual: SchemaObject[]): string[] {
  const key = (o: SchemaObject) => `${o.type} ${o.name}`;
  const want = new Map(expected.map((o) => [key(o), o]));
  const have = new Map(actual.map((o) => [key(o), o]));
  const out: string[] = [];
  for (const o of actual) if (!want.has(key(o))) out.push(`an extra ${o.type} ${quote(o.name)}${where(o)}`);
  for (const o of expected) if (!have.has(key(o))) out.push(`${o.type} ${quote(o.name)}${where(o)} is missing`);
  for (const e of expected) {
    const a = have.get(key(e));
    if (!a) continue;
    if (e.type === 'table') {
      const columns = columnDifferences(e.name, e.columns ?? [], a.columns ?? []);
      out.push(...columns);
      if (!columns.length && e.name !== MIGRATIONS_TABLE && a.sql !== e.sql)
        out.push(`table ${quote(e.name)} has other constraints than its migrations make`);
    } else if (a.sql !== e.sql || a.table !== e.table) {
      out.push(`${e.type} ${quote(e.name)}${where(e)} is defined differently from its migrations`);
    }
  }
  return out;
}

/**
 * How the SQLite file at `path` differs from a fresh database migrated to exactly the
 * migrations it records (`migrations`, in order). Opens the file read-only.
 */
export function differencesFromMigrations(path: string, migrations: readonly string[]): string[] {
  const file = new Database(path, { readonly: true, fileMustExist: true });
  let fresh: Database.Database | null = null;
  try {
    fresh = freshSqliteAt(migrations);
    return schemaDifferences(readSqliteSchema(fresh), readSqliteSchema(file));
  } finally {
    fresh?.close();
    file.close();
  }
}
