import type { CrmPrisma } from './client';

/**
 * Per owner, the oldest reminder sent and not yet answered (Done or Snooze) among their
 * active follow-ups: one grouped query (Prisma's groupBy cannot group by a relation's field),
 * so a digest never reads every follow-up. The same SQL on both providers.
 */
export async function oldestUnansweredByOwner(prisma: CrmPrisma): Promise<Map<string, Date>> {
  const rows = await prisma.$queryRaw<{ ownerId: string; oldest: Date | string | number }[]>`
    SELECT f."ownerId" AS "ownerId", MIN(d."occurrenceAt") AS "oldest"
    FROM "AlertDelivery" d JOIN "FollowUpAlert" f ON f."id" = d."alertId"
    WHERE d."status" = 'sent' AND f."active" = ${true}
    GROUP BY f."ownerId"`;
  return new Map(rows.map((r) => [r.ownerId, r.oldest instanceof Date ? r.oldest : new Date(r.oldest)]));
}
