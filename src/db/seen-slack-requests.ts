import type { CrmPrisma } from './client';

/**
 * Slack requests already acted on, shared by every instance through the database. Marking
 * one is a single atomic upsert, the same SQL on SQLite and PostgreSQL: it inserts the key,
 * or takes over a row whose window has passed, and reports whether it did.
 */
export async function markSlackRequestSeen(
  prisma: CrmPrisma,
  key: string,
  expiresAt: Date,
  now: Date,
): Promise<boolean> {
  const changed = await prisma.$executeRaw`
    INSERT INTO "SeenSlackRequest" ("key", "expiresAt")
    VALUES (${key}, ${expiresAt})
    ON CONFLICT ("key") DO UPDATE SET "expiresAt" = excluded."expiresAt"
      WHERE "SeenSlackRequest"."expiresAt" <= ${now}`;
  return changed > 0;
}

/** Forgets a request, so that Slack's retry of one the app failed on is acted on. */
export async function forgetSlackRequest(prisma: CrmPrisma, key: string): Promise<void> {
  await prisma.seenSlackRequest.deleteMany({ where: { key } });
}

/** Deletes the requests whose window has passed (an indexed range delete). */
export async function purgeExpiredSlackRequests(prisma: CrmPrisma, now: Date): Promise<number> {
  return (await prisma.seenSlackRequest.deleteMany({ where: { expiresAt: { lt: now } } })).count;
}
