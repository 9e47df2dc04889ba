import type { Database } from './client';

/**
 * Slack requests already acted on, shared by every instance through the database. Marking
 * one is a single atomic upsert, the same SQL on SQLite and PostgreSQL: it inserts the key,
 * or takes over a row whose window has passed, and reports whether it did.
 *
 * On SQLite these rows are written on a connection of their own (db.sqliteSideWriter): they
 * are bookkeeping, not CRM data, so a request coming in leaves the data version that Home
 * readers share by unchanged (db/pipeline/pipeline-sql.ts `dataVersion`).
 */
export type SeenRequestsDb = Pick<Database, 'prisma' | 'sqliteSideWriter'>;

/** As the Prisma SQLite adapter stores a DateTime, so that comparisons with its rows hold. */
const sqliteDate = (d: Date) => d.toISOString().replace('Z', '+00:00');

export async function markSlackRequestSeen(
  db: SeenRequestsDb,
  key: string,
  expiresAt: Date,
  now: Date,
): Promise<boolean> {
  const side = db.sqliteSideWriter;
  const changed = side
    ? await side.run(
        `INSERT INTO "SeenSlackRequest" ("key", "expiresAt") VALUES (?, ?)
         ON CONFLICT ("key") DO UPDATE SET "expiresAt" = excluded."expiresAt" WHERE "SeenSlackRequest"."expiresAt" <= ?`,
        [key, sqliteDate(expiresAt), sqliteDate(now)],
      )
    : await db.prisma.$executeRaw`
    INSERT INTO "SeenSlackRequest" ("key", "expiresAt")
    VALUES (${key}, ${expiresAt})
    ON CONFLICT ("key") DO UPDATE SET "expiresAt" = excluded."expiresAt"
      WHERE "SeenSlackRequest"."expiresAt" <= ${now}`;
  return changed > 0;
}

/** Forgets a request, so that Slack's retry of one the app failed on is acted on. */
export async function forgetSlackRequest(db: SeenRequestsDb, key: string): Promise<void> {
  if (db.sqliteSideWriter) await db.sqliteSideWriter.run(`DELETE FROM "SeenSlackRequest" WHERE "key" = ?`, [key]);
  else await db.prisma.seenSlackRequest.deleteMany({ where: { key } });
}

/** Deletes the requests whose window has passed (an indexed range delete). */
export async function purgeExpiredSlackRequests(db: SeenRequestsDb, now: Date): Promise<number> {
  if (db.sqliteSideWriter)
    return db.sqliteSideWriter.run(`DELETE FROM "SeenSlackRequest" WHERE "expiresAt" < ?`, [sqliteDate(now)]);
  return (await db.prisma.seenSlackRequest.deleteMany({ where: { expiresAt: { lt: now } } })).count;
}
