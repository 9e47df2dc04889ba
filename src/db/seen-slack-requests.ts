import { type SideWritesDb, sideWritesOf } from './side-writes';

/**
 * Slack requests already acted on, shared by every instance through the database. Marking
 * one is a single atomic upsert, the same SQL on SQLite and PostgreSQL: it inserts the key,
 * or takes over a row whose window has passed, and reports whether it did.
 *
 * These rows are bookkeeping, written on the side connection (db/side-writes.ts): a request
 * coming in leaves the data version that Home readers share unchanged
 * (db/pipeline/pipeline-sql.ts `dataVersion`), and on PostgreSQL the write that comes before
 * the acknowledgement never queues behind other queries for a pooled connection.
 */
export type SeenRequestsDb = SideWritesDb;

export async function markSlackRequestSeen(
  db: SeenRequestsDb,
  key: string,
  expiresAt: Date,
  now: Date,
): Promise<boolean> {
  const side = sideWritesOf(db);
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
  const side = sideWritesOf(db);
  await side.run(`DELETE FROM "SeenSlackRequest" WHERE "key" = ${side.param(1)}`, [key]);
}

/** Deletes the requests whose window has passed (an indexed range delete). */
export async function purgeExpiredSlackRequests(db: SeenRequestsDb, now: Date): Promise<number> {
  const side = sideWritesOf(db);
  return side.run(`DELETE FROM "SeenSlackRequest" WHERE "expiresAt" < ${side.param(1)}`, [side.date(now)]);
}
