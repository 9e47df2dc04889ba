import { Prisma } from '../generated/sqlite/client';
import { rawDate } from './bulk-rows';
import type { Database } from './client';
import { readRows } from './read-rows';
import { type SideWritesDb, sideWritesOf } from './side-writes';

/**
 * The lead sync's run records (SyncRun), written on the side connection (db/side-writes.ts):
 * a sync that finds nothing to write then changes nothing Home readers share, where its
 * record alone used to end the share for everyone. Read back through Prisma as any row; what
 * is shared of them (Home's sync state) has a version of its own (readHomeStart's
 * `syncVersion`), which triggers keep whoever writes the records (db/sqlite-data-version.ts,
 * db/postgres-data-version.ts).
 */

/** Records a run as started; resolves with its id. */
export function recordSyncStarted(db: SideWritesDb, trigger: string, startedAt: Date): Promise<number> {
  const side = sideWritesOf(db);
  const p = side.param;
  return side.insert(
    `INSERT INTO "SyncRun" ("trigger", "startedAt", "status", "fetched", "created", "updated", "rejected")
     VALUES (${p(1)}, ${p(2)}, 'running', 0, 0, 0, 0) RETURNING "id"`,
    [trigger, side.date(startedAt)],
  );
}

export interface SyncRunEnd {
  finishedAt: Date;
  status: 'ok' | 'failed';
  fetched: number;
  created: number;
  updated: number;
  rejected: number;
  error: string | null;
}

/** Records how a run ended. */
export async function recordSyncFinished(db: SideWritesDb, id: number, end: SyncRunEnd): Promise<void> {
  const side = sideWritesOf(db);
  const p = side.param;
  await side.run(
    `UPDATE "SyncRun" SET "finishedAt" = ${p(1)}, "status" = ${p(2)}, "fetched" = ${p(3)}, "created" = ${p(4)},
       "updated" = ${p(5)}, "rejected" = ${p(6)}, "error" = ${p(7)} WHERE "id" = ${p(8)}`,
    [side.date(end.finishedAt), end.status, end.fetched, end.created, end.updated, end.rejected, end.error, id],
  );
}

/** A run that ended, as the sync coordinator and Home's sync line read it. */
export interface FinishedSyncRun {
  id: number;
  status: 'ok' | 'failed';
  startedAt: Date;
  finishedAt: Date;
  /** Distinct customers the run read. */
  fetched: number;
  created: number;
  updated: number;
  error: string | null;
}

/**
 * The latest run that ended, by start (ties by id), or null. Every Home open asks it (is a
 * sync due?), so it is one raw read past Prisma's client (read-rows.ts): a Prisma model query
 * is compiled each time it runs, and even a raw one costs more in the client than this read.
 */
export async function latestFinishedRun(db: Pick<Database, 'rowReader'>): Promise<FinishedSyncRun | null> {
  const [row] = await readRows<{
    id: number | bigint;
    status: string;
    startedAt: unknown;
    finishedAt: unknown;
    fetched: number | bigint;
    created: number | bigint;
    updated: number | bigint;
    error: string | null;
  }>(
    db,
    Prisma.sql`SELECT "id", "status", "startedAt", "finishedAt", "fetched", "created", "updated", "error" FROM "SyncRun"
    WHERE "status" IN ('ok', 'failed') AND "finishedAt" IS NOT NULL
    ORDER BY "startedAt" DESC, "id" DESC LIMIT 1`,
  );
  const startedAt = rawDate(row?.startedAt);
  const finishedAt = rawDate(row?.finishedAt);
  if (!row || !startedAt || !finishedAt) return null;
  return {
    id: Number(row.id),
    status: row.status === 'ok' ? 'ok' : 'failed',
    startedAt,
    finishedAt,
    fetched: Number(row.fetched),
    created: Number(row.created),
    updated: Number(row.updated),
    error: row.error,
  };
}
