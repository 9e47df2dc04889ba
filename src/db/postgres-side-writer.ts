import type { Pool, PoolConfig } from 'pg';

/**
 * A PostgreSQL connection of our own for bookkeeping rows that are not CRM data (the Slack
 * requests already seen). A Slack request is acknowledged only after its row is written, and
 * Slack gives up on an answer after 3 seconds: on Prisma's pool that write would queue behind
 * every Home reader's queries (fifty people opening Home at once, while a sync compares its
 * chunks), so it gets one connection that nothing else uses. Opened on first use.
 */
export class PostgresSideWriter {
  private pool: Pool | null = null;

  constructor(private readonly config: PoolConfig) {}

  /** Runs one writing statement (`$1`… parameters); resolves with the rows it changed. */
  async run(sql: string, params: readonly unknown[]): Promise<number> {
    const result = await this.open().query(sql, params as unknown[]);
    return result.rowCount ?? 0;
  }

  /** Runs one INSERT … RETURNING "id"; resolves with that id. */
  async insert(sql: string, params: readonly unknown[]): Promise<number> {
    const result = await this.open().query<{ id: number | string }>(sql, params as unknown[]);
    return Number(result.rows[0]!.id);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.end();
  }

  private open(): Pool {
    if (!this.pool) {
      const { Pool: PgPool } = require('pg') as typeof import('pg');
      this.pool = new PgPool({ ...this.config, max: 1 });
    }
    return this.pool;
  }
}
