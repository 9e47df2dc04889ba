import type { Database } from './client';

/**
 * Slack requests already acted on, shared by every instance through the database. Marking
 * one is a single atomic upsert, the same SQL on SQLite and PostgreSQL: it inserts the key,
 * or takes over a row whose window has passed, and reports whether it did.
 *
 * These rows are written on a connection of their own: on SQLite (db.sqliteSideWriter) they
 * are bookkeeping, not CRM data, so a request coming in leaves the data version that Home
 * readers share unchanged (db/pipeline/pipeline-sql.ts `dataVersion`); on PostgreSQL
 * (db.postgresSideWriter) the write that comes before the acknowledgement never queues
 * behind other queries for a pooled connection.
 */
export type SeenRequestsDb = Pick<Database, 'sqliteSideWriter' | 'postgresSideWriter'>;

interface Side {
  run(sql: string, params: readonly unknown[]): Promise<number>;
  /** The n-th parameter's placeholder. */
  param(n: number): string;
  /** A DateTime as Prisma stores it there, so that comparisons with its rows hold. */
  date(d: Date): string;
}

function sideOf(db: SeenRequestsDb): Side {
  const sqlite = db.sqliteSideWriter;
  if (sqlite)
    return {
      run: (sql, params) => sqlite.run(sql, params),
      param: () => '?',
      date: (d) => d.toISOString().replace('Z', '+00:00'),
    };
  const postgres = db.postgresSideWriter;
  if (postgres)
    return {
      run: (sql, params) => postgres.run(sql, params),
      param: (n) => `$${n}`,
      // UTC in a `timestamp` column: the zone of the text is ignored there.
      date: (d) => d.toISOString(),
    };
  throw new Error('Seen Slack requests need a database opened by openDatabase');
}

export async function markSlackRequestSeen(
  db: SeenRequestsDb,
  key: string,
  expiresAt: Date,
  now: Date,
): Promise<boolean> {
  const side = sideOf(db);
  const p = side.param;
  const changed = await side.run(
    `INSERT INTO "SeenSlackRequest" ("key", "expiresAt") VALUES (${p(1)}, ${p(2)})
     ON CONFLICT ("key") DO UPDATE SET "expiresAt" = excluded."expiresAt" WHERE "SeenSlackRequest"."expiresAt" <= ${p(3)}`,
    [key, side.date(expiresAt), side.date(now)],
  );
  return changed > 0;
}

/** Forgets a request, so that Slack's retry of one the app failed on is acted on. */
export async function forgetSlackRequest(db: SeenRequestsDb, key: string): Promise<void> {
  const side = sideOf(db);
  await side.run(`DELETE FROM "SeenSlackRequest" WHERE "key" = ${side.param(1)}`, [key]);
}

/** Deletes the requests whose window has passed (an indexed range delete). */
export async function purgeExpiredSlackRequests(db: SeenRequestsDb, now: Date): Promise<number> {
  const side = sideOf(db);
  return side.run(`DELETE FROM "SeenSlackRequest" WHERE "expiresAt" < ${side.param(1)}`, [side.date(now)]);
}
