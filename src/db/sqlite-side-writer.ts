import BetterSqlite3 from 'better-sqlite3';
import { type LockWaitOptions, retryOnBusy } from './sqlite-adapter';
import { limitPageCache } from './sqlite-page-cache';

/** better-sqlite3's own busy wait per attempt: short, because it blocks the event loop (see sqlite-adapter.ts). */
const SYNC_BUSY_WAIT_MS = 10;

/**
 * A SQLite connection of our own for bookkeeping rows that are not CRM data (the Slack
 * requests already seen, leases, the heartbeat, the sync's run records): Prisma's one
 * connection runs every statement of the process, so there such a write made while one of
 * its transactions is open would be part of that transaction, and wait for it. (Which writes
 * change the data version Home readers share is the triggers' business, whatever the
 * connection: db/sqlite-data-version.ts.) Opened on first use; single autocommit
 * statements, each waiting for the write lock with short asynchronous retries.
 */
export class SqliteSideWriter {
  private connection: BetterSqlite3.Database | null = null;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    private readonly path: string,
    private readonly wait: LockWaitOptions,
  ) {}

  /** Runs one writing statement (cached by its text); resolves with the rows it changed. */
  run(sql: string, params: readonly unknown[]): Promise<number> {
    const statement = this.statement(sql);
    return retryOnBusy(() => statement.run(...params).changes, this.wait);
  }

  /** Runs one INSERT … RETURNING "id" (cached by its text); resolves with that id. */
  insert(sql: string, params: readonly unknown[]): Promise<number> {
    const statement = this.statement(sql);
    return retryOnBusy(() => Number((statement.get(...params) as { id: number | bigint }).id), this.wait);
  }

  close(): void {
    this.statements.clear();
    this.connection?.close();
    this.connection = null;
  }

  private statement(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.open().prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private open(): BetterSqlite3.Database {
    if (!this.connection) {
      this.connection = new BetterSqlite3(this.path, { timeout: SYNC_BUSY_WAIT_MS });
      limitPageCache(this.connection);
    }
    return this.connection;
  }
}
