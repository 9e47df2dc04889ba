import { setTimeout as sleep } from 'node:timers/promises';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from '@prisma/driver-adapter-utils';
import BetterSqlite3 from 'better-sqlite3';
import { inBulkReads, isPlainSelect, OffLoopReader } from './off-loop-reads';
import type { SqliteDataVersion } from './sqlite-data-version';
import { limitPageCache } from './sqlite-page-cache';
import { cachePreparedStatements, type PreparedStatements } from './sqlite-statement-cache';

/**
 * The better-sqlite3 adapter, with write transactions that cannot fail on a lock.
 *
 * The stock adapter opens interactive transactions with a deferred `BEGIN`: the first read
 * takes a snapshot, and the first write must then upgrade it. When another process (or
 * another connection) committed in between, SQLite refuses the upgrade at once with
 * SQLITE_BUSY_SNAPSHOT, and a plain lock wait ends in SQLITE_BUSY after the busy timeout.
 * Here every transaction starts with `BEGIN IMMEDIATE`, so it holds the write lock from its
 * first statement and never upgrades. Waiting for that lock is done with short asynchronous
 * retries instead of SQLite's busy handler, because better-sqlite3 is synchronous: a busy
 * handler blocks the event loop, and with it the very transaction it waits for when both
 * connections live in one process (and every other request of that process meanwhile).
 */

/** SQLite's own busy wait per attempt: short, because it blocks the event loop. */
const SYNC_BUSY_WAIT_MS = 10;

export interface LockWaitOptions {
  /** How long one statement or BEGIN may wait for the lock in all. */
  deadlineMs: number;
  /** Longest pause between two attempts; each pause is random up to it (jitter). */
  maxPauseMs?: number;
}

/**
 * A read past Prisma, on a connection of our own to the same file: a prepared statement,
 * cached by its text. For a hot bulk read whose Prisma round trip (query compile, parameter
 * and result marshalling) costs more than the query itself. The file is in WAL mode, so the
 * read sees the last committed state and never a transaction's uncommitted rows.
 */
export type SqliteRawRead = (sql: string, params: readonly unknown[]) => Promise<unknown[]>;

function isBusy(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown; originalCode?: unknown }).originalCode ?? (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return true;
  }
  return false;
}

/** Runs `attempt` until it does not fail on a lock, pausing a random moment between tries. */
export async function retryOnBusy<T>(attempt: () => T | Promise<T>, options: LockWaitOptions): Promise<T> {
  const giveUpAt = Date.now() + options.deadlineMs;
  const maxPause = options.maxPauseMs ?? 25;
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isBusy(err) || Date.now() >= giveUpAt) throw err;
      await sleep(1 + Math.random() * Math.min(maxPause, 2 * tries));
    }
  }
}

/** One-at-a-time lock for the connection's transactions (the connection has one). */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => next);
    await previous;
    return release;
  }
}

const isCommit = (sql: string) => /^\s*(COMMIT|END)\b/i.test(sql);

class ImmediateSqliteAdapter implements SqlDriverAdapter {
  readonly provider = 'sqlite' as const;
  readonly adapterName: string;
  private readonly mutex = new Mutex();

  constructor(
    private readonly inner: SqlDriverAdapter,
    /** The connection `inner` runs its statements on. */
    private readonly connection: BetterSqlite3.Database,
    private readonly wait: LockWaitOptions,
    private readonly offLoop: OffLoopReader,
    private readonly versions: SqliteDataVersion,
    private readonly disposed: () => void,
  ) {
    this.adapterName = inner.adapterName;
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    // A bulk read outside a transaction (transactions call `run` below): on the reader thread.
    if (inBulkReads() && isPlainSelect(query.sql)) return retryOnBusy(() => this.offLoop.queryRaw(query), this.wait);
    return this.run(query);
  }

  private run(query: SqlQuery): Promise<SqlResultSet> {
    return retryOnBusy(() => this.inner.queryRaw(query), this.wait);
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return retryOnBusy(() => this.inner.executeRaw(query), this.wait);
  }

  executeScript(script: string): Promise<void> {
    return retryOnBusy(() => this.inner.executeScript(script), this.wait);
  }

  async dispose(): Promise<void> {
    this.disposed();
    await this.offLoop.close();
    await this.inner.dispose();
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    // SQLite transactions are serializable; any other level is a caller's mistake.
    if (isolationLevel && isolationLevel !== 'SERIALIZABLE')
      throw new Error(`SQLite has no ${isolationLevel} isolation level`);
    const release = await this.mutex.acquire();
    try {
      // Through the adapter's public executeRaw: the statement runs on Prisma's connection.
      await retryOnBusy(() => this.inner.executeRaw({ sql: 'BEGIN IMMEDIATE', args: [], argTypes: [] }), this.wait);
    } catch (err) {
      release();
      throw err;
    }
    let open = true;
    const end = () => {
      if (open) release();
      open = false;
      return Promise.resolve();
    };
    return {
      provider: this.provider,
      adapterName: this.adapterName,
      // Prisma sends COMMIT / ROLLBACK itself, then calls commit() / rollback().
      options: { usePhantomQuery: false },
      queryRaw: (query) => this.inTransaction(query, (q) => this.inner.queryRaw(q)),
      executeRaw: (query) => this.inTransaction(query, (q) => this.inner.executeRaw(q)),
      commit: end,
      rollback: () => {
        this.versions.noteRollback();
        return end();
      },
    };
  }

  /**
   * One statement of a transaction. The data versions (sqlite-data-version.ts) must know
   * when the transaction's writes are undone: a ROLLBACK, or SQLite ending the transaction
   * itself after an error. better-sqlite3 runs the statement before `run` returns, so that is
   * noted before any other statement can read the connection.
   */
  private inTransaction<T>(query: SqlQuery, run: (query: SqlQuery) => Promise<T>): Promise<T> {
    return retryOnBusy(() => {
      const result = run(query);
      if (!this.connection.inTransaction && !isCommit(query.sql)) this.versions.noteRollback();
      return result;
    }, this.wait);
  }
}

/**
 * Prisma's connection, for reads made past Prisma's client on it (sqlite-row-reader.ts): the
 * better-sqlite3 handle its adapter runs every statement on, with the adapter's statement cache.
 */
export interface PrismaSqliteConnection {
  readonly database: BetterSqlite3.Database;
  readonly prepared: PreparedStatements;
  /** How long a statement may wait for a lock, as the adapter's statements do. */
  readonly wait: LockWaitOptions;
}

/** A Prisma adapter factory for a SQLite file whose transactions begin IMMEDIATE. */
export class ImmediateSqliteAdapterFactory implements SqlDriverAdapterFactory {
  readonly provider = 'sqlite' as const;
  readonly adapterName: string;
  private readonly inner: PrismaBetterSQLite3;
  private current: PrismaSqliteConnection | null = null;

  constructor(
    private readonly path: string,
    private readonly wait: LockWaitOptions,
    private readonly versions: SqliteDataVersion,
  ) {
    // `timeout` is better-sqlite3's busy timeout for each statement: kept short (see above).
    this.inner = new PrismaBetterSQLite3({ url: path, timeout: SYNC_BUSY_WAIT_MS });
    this.adapterName = this.inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    const inner = await this.inner.connect();
    // The adapter's own connection (a public field of its class): its statements are prepared
    // once. It keeps better-sqlite3's page cache (see sqlite-page-cache.ts).
    const connection = (inner as unknown as { client: BetterSqlite3.Database }).client;
    const current: PrismaSqliteConnection = {
      database: connection,
      prepared: cachePreparedStatements(connection),
      wait: this.wait,
    };
    this.current = current;
    return new ImmediateSqliteAdapter(
      inner,
      connection,
      this.wait,
      new OffLoopReader(this.path, SYNC_BUSY_WAIT_MS),
      this.versions,
      () => {
        if (this.current === current) this.current = null;
      },
    );
  }

  /** The connection of the adapter Prisma holds now; null before Prisma connects and once it disconnects. */
  prismaConnection(): PrismaSqliteConnection | null {
    return this.current;
  }
}

/** The SqliteRawRead connection: opened on first use, read-only by pragma, closed with the database. */
export class SqliteReadConnection {
  private connection: BetterSqlite3.Database | null = null;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    private readonly path: string,
    private readonly wait: LockWaitOptions,
  ) {}

  readonly read: SqliteRawRead = (sql, params) => {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.open().prepare(sql);
      this.statements.set(sql, statement);
    }
    const prepared = statement;
    return retryOnBusy(() => prepared.all(...params), this.wait);
  };

  close(): void {
    this.statements.clear();
    this.connection?.close();
    this.connection = null;
  }

  private open(): BetterSqlite3.Database {
    if (!this.connection) {
      const connection = new BetterSqlite3(this.path, { timeout: SYNC_BUSY_WAIT_MS });
      connection.pragma('query_only = ON');
      limitPageCache(connection);
      // As Prisma's connection reads them: integers as BigInt, so no large value loses digits.
      connection.defaultSafeIntegers(true);
      this.connection = connection;
    }
    return this.connection;
  }
}
