import type { Pool, PoolConfig } from 'pg';
import type { Prisma } from '../generated/sqlite/client';
import { PostgresDataVersion, type PostgresVersionRow, PRUNE_DATA_WRITES } from './postgres-data-version';
import type { DataVersions } from './sqlite-data-version';

/**
 * A PostgreSQL connection of our own for bookkeeping rows that are not CRM data (the Slack
 * requests already seen, the heartbeat, the sync's run records and lease). A Slack request is
 * acknowledged only after its row is written, and Slack gives up on an answer after 3
 * seconds: on Prisma's pool that write would queue behind every Home reader's queries (fifty
 * people opening Home at once, while a sync compares its chunks), so it gets one connection
 * that nothing else uses. Opened on first use.
 *
 * It also keeps the data versions Home readers share (PostgresDataVersion), and prunes the
 * writes they are made from on the heartbeat's schedule.
 */
export class PostgresSideWriter {
  private pool: Pool | null = null;
  private readonly versions = new PostgresDataVersion();
  /** Statements run one at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly config: PoolConfig) {}

  /** Runs one writing statement (`$1`… parameters, no RETURNING); resolves with the rows it changed. */
  async run(sql: string, params: readonly unknown[]): Promise<number> {
    const row = await this.statement<{ n: number }>(
      `WITH w AS (${sql} RETURNING 1) SELECT CAST(COUNT(*) AS INT) AS "n" FROM w`,
      params,
    );
    return row.n;
  }

  /** Runs one INSERT … RETURNING "id"; resolves with that id. */
  async insert(sql: string, params: readonly unknown[]): Promise<number> {
    const row = await this.statement<{ id: number | string }>(sql, params);
    return Number(row.id);
  }

  /** Starts a read of the data versions: the columns its query adds, and the versions of the row it returned. */
  versionRead(): { columns: Prisma.Sql; of(row: PostgresVersionRow | undefined): DataVersions | null } {
    return this.versions.begin();
  }

  /** Deletes the noted writes no reader needs any more (see PostgresDataVersion.pruneBelow); for the heartbeat. */
  async pruneDataWrites(now: Date): Promise<void> {
    const { ps } = await this.statement<{ ps: string }>('SELECT CAST(pg_current_snapshot() AS TEXT) AS "ps"', []);
    const below = this.versions.pruneBelow(ps, now.getTime());
    if (below !== null) await this.statement(PRUNE_DATA_WRITES, [String(below)]);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.end();
  }

  /** One statement, answering its first row. */
  private statement<R>(sql: string, params: readonly unknown[]): Promise<R> {
    const run = this.queue.then(() =>
      this.open()
        .query(sql, params as unknown[])
        .then((result) => result.rows[0] as R),
    );
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
