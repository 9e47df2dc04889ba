import Database from 'better-sqlite3';
import { type BulkColumnType, type BulkValue, columnExpr, encode } from './bulk-values';
import { SQLITE_DATA_VERSION_PAUSE, SQLITE_DATA_VERSION_RESUME } from './sqlite-data-version';

/**
 * A whole-database import into a SQLite file on a connection of its own, for the thread that
 * runs `npm run restore`'s import (src/backup/sqlite-import-worker.ts): one write transaction
 * for all of it, each batch of a table's rows one `INSERT … SELECT … FROM json_each(?)` with
 * the rows as one JSON parameter (the statement bulk-rows.ts builds through Prisma). Its
 * commit, and the checkpoints SQLite runs after it, take as long as the whole import's pages:
 * on this connection's thread, never the event loop's. Loads no Prisma.
 */
export interface ImportColumn {
  name: string;
  type: BulkColumnType;
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

export class SqliteTableImport {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(path: string, busyTimeoutMs: number) {
    this.db = new Database(path, { fileMustExist: true, timeout: busyTimeoutMs });
  }

  /**
   * Begins the import's one transaction, holding the write lock from the start. The data
   * version's triggers are off until the commit (sqlite-data-version.ts).
   */
  begin(): void {
    this.db.exec('BEGIN IMMEDIATE');
    this.db.exec(SQLITE_DATA_VERSION_PAUSE);
  }

  /** Inserts `rows` (each a value for every one of `columns`, in order) into `table`: one statement. */
  insert(table: string, columns: readonly ImportColumn[], rows: readonly BulkValue[][]): void {
    if (rows.length === 0) return;
    const json = JSON.stringify(rows.map((r) => columns.map((c, i) => encode('sqlite', r[i] ?? null, c.type))));
    this.statement(table, columns).run(json);
  }

  /** Commits everything inserted since `begin`, with the data version's triggers back. */
  commit(): void {
    this.db.exec(SQLITE_DATA_VERSION_RESUME);
    this.db.exec('COMMIT');
  }

  /** Closes the connection; a transaction still open is rolled back, so nothing of it is kept. */
  close(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.db.close();
  }

  private statement(table: string, columns: readonly ImportColumn[]): Database.Statement {
    const key = JSON.stringify([table, columns]);
    let statement = this.statements.get(key);
    if (!statement) {
      const names = columns.map((c) => quoted(c.name)).join(', ');
      const values = columns.map((c, i) => columnExpr('sqlite', i, c.type)).join(', ');
      statement = this.db.prepare(`INSERT INTO ${quoted(table)} (${names}) SELECT ${values} FROM json_each(?)`);
      this.statements.set(key, statement);
    }
    return statement;
  }
}
