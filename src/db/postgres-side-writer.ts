import type { Pool, PoolConfig } from 'pg';
import { PostgresDataVersion } from './postgres-data-version';

/** How long a version read waits for the side statement in flight before counting it as a change. */
const VERSION_WAIT_MS = 1000;

/**
 * A PostgreSQL connection of our own for bookkeeping rows that are not CRM data (the Slack
 * requests already seen, the heartbeat, the sync's run records and lease). A Slack request is
 * acknowledged only after its row is written, and Slack gives up on an answer after 3
 * seconds: on Prisma's pool that write would queue behind every Home reader's queries (fifty
 * people opening Home at once, while a sync compares its chunks), so it gets one connection
 * that nothing else uses. Opened on first use.
 *
 * It also keeps the data version Home readers share (PostgresDataVersion): each statement
 * returns its transaction's id with its answer, and a version read waits for the one
 * statement in flight (its commit may already be in the reader's snapshot), so these writes
 * never count as changes of the CRM data.
 */
export class PostgresSideWriter {
  private pool: Pool | null = null;
  private readonly versions = new PostgresDataVersion();
  /** Statements run one at a time; the one running, if any. */
  private queue: Promise<unknown> = Promise.resolve();
  private running: Promise<unknown> | null = null;

  constructor(private readonly config: PoolConfig) {}

  /** Runs one writing statement (`$1`… parameters, no RETURNING); resolves with the rows it changed. */
  async run(sql: string, params: readonly unknown[]): Promise<number> {
    const row = await this.statement<{ n: number }>(
      `WITH w AS (${sql} RETURNING 1)
       SELECT c."n", CAST(pg_current_xact_id_if_assigned() AS TEXT) AS "xid" FROM (SELECT CAST(COUNT(*) AS INT) AS "n" FROM w) c`,
      params,
    );
    return row.n;
  }

  /** Runs one INSERT … RETURNING "id"; resolves with that id. */
  async insert(sql: string, params: readonly unknown[]): Promise<number> {
    const row = await this.statement<{ id: number | string }>(
      `WITH w AS (${sql}) SELECT w."id", CAST(pg_current_xact_id_if_assigned() AS TEXT) AS "xid" FROM w`,
      params,
    );
    return Number(row.id);
  }

  /**
   * The data version for a read whose snapshot (`pg_current_snapshot()` as text) was just
   * answered: the same as long as only this connection's bookkeeping committed since.
   */
  async dataVersion(snapshot: string): Promise<string> {
    const running = this.running;
    if (!running) return this.versions.versionOf(snapshot);
    let timer: NodeJS.Timeout | undefined;
    const settled = await Promise.race([
      running.then(
        () => true,
        () => true,
      ),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), VERSION_WAIT_MS);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    return this.versions.versionOf(snapshot, !settled);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.end();
  }

  /** One statement answering one row with its transaction's id (`xid`), noted before the answer is used. */
  private statement<R>(sql: string, params: readonly unknown[]): Promise<R> {
    const run = this.queue.then(() => {
      const running = this.open()
        .query<R & { xid: string | null }>(sql, params as unknown[])
        .then((result) => {
          const row = result.rows[0]!;
          if (row.xid !== null) this.versions.noteOwn(BigInt(row.xid));
          return row as R;
        });
      this.running = running;
      const done = () => {
        if (this.running === running) this.running = null;
      };
      running.then(done, done);
      return running;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private open(): Pool {
    if (!this.pool) {
      const { Pool: PgPool } = require('pg') as typeof import('pg');
      this.pool = new PgPool({ ...this.config, max: 1 });
    }
    return this.pool;
  }
}
