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

/** The raw better-sqlite3 connection (the adapter keeps it in a plain field). */
interface BetterSqliteClient {
  prepare(sql: string): { run(): unknown; all(...params: unknown[]): unknown[] };
  pragma(source: string): unknown;
}

/**
 * A read straight on the connection, past Prisma: a prepared statement, cached by its text.
 * For a hot bulk read whose Prisma round trip (query compile, parameter and result
 * marshalling) costs more than the query itself.
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
async function retryOnBusy<T>(attempt: () => T | Promise<T>, options: LockWaitOptions): Promise<T> {
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

class ImmediateSqliteAdapter implements SqlDriverAdapter {
  readonly provider = 'sqlite' as const;
  readonly adapterName: string;
  private readonly mutex = new Mutex();
  private readonly client: BetterSqliteClient;
  private readonly statements = new Map<string, ReturnType<BetterSqliteClient['prepare']>>();

  constructor(
    private readonly inner: SqlDriverAdapter,
    private readonly wait: LockWaitOptions,
  ) {
    this.adapterName = inner.adapterName;
    this.client = (inner as unknown as { client: BetterSqliteClient }).client;
    if (!this.client || typeof this.client.prepare !== 'function')
      throw new Error('the better-sqlite3 adapter no longer exposes its connection');
    this.client.pragma(`busy_timeout = ${SYNC_BUSY_WAIT_MS}`);
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return retryOnBusy(() => this.inner.queryRaw(query), this.wait);
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return retryOnBusy(() => this.inner.executeRaw(query), this.wait);
  }

  executeScript(script: string): Promise<void> {
    return retryOnBusy(() => this.inner.executeScript(script), this.wait);
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }

  /**
   * See SqliteRawRead. Taken under the transaction lock, so it never runs inside another
   * caller's open transaction on this connection (and never sees its uncommitted rows).
   */
  async rawRead(sql: string, params: readonly unknown[]): Promise<unknown[]> {
    const release = await this.mutex.acquire();
    try {
      let statement = this.statements.get(sql);
      if (!statement) {
        statement = this.client.prepare(sql);
        this.statements.set(sql, statement);
      }
      const prepared = statement;
      return await retryOnBusy(() => prepared.all(...params), this.wait);
    } finally {
      release();
    }
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    // SQLite transactions are serializable; any other level is a caller's mistake.
    if (isolationLevel && isolationLevel !== 'SERIALIZABLE')
      throw new Error(`SQLite has no ${isolationLevel} isolation level`);
    const release = await this.mutex.acquire();
    try {
      await retryOnBusy(() => this.client.prepare('BEGIN IMMEDIATE').run(), this.wait);
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
      queryRaw: (query) => this.queryRaw(query),
      executeRaw: (query) => this.executeRaw(query),
      commit: end,
      rollback: end,
    };
  }
}

/** A Prisma adapter factory for a SQLite file whose transactions begin IMMEDIATE. */
export class ImmediateSqliteAdapterFactory implements SqlDriverAdapterFactory {
  readonly provider = 'sqlite' as const;
  readonly adapterName: string;
  private readonly inner: PrismaBetterSQLite3;
  /** The adapter Prisma connected last (it connects lazily, and again after a disconnect). */
  private connected: ImmediateSqliteAdapter | null = null;

  constructor(
    path: string,
    private readonly wait: LockWaitOptions,
  ) {
    this.inner = new PrismaBetterSQLite3({ url: path, timeout: SYNC_BUSY_WAIT_MS });
    this.adapterName = this.inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    this.connected = new ImmediateSqliteAdapter(await this.inner.connect(), this.wait);
    return this.connected;
  }

  /** The connection Prisma uses, for SqliteRawRead; null until Prisma has connected. */
  rawReader(): SqliteRawRead | null {
    const adapter = this.connected;
    return adapter && ((sql, params) => adapter.rawRead(sql, params));
  }
}
