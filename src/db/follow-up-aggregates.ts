import type { Prisma } from '../generated/sqlite/client';
import { type CrmPrisma, withProviderClient } from './client';

/**
 * Follow-ups counted or dated per owner or per lead, grouped in the database (one row per
 * group, whatever the number of follow-ups). Prisma's `groupBy` is typed by each generated
 * client's own filter types, so each query is written once per provider (the same call)
 * against that provider's client (client.ts `withProviderClient`).
 */

/** How many follow-ups match `where`, per owner. */
export async function countFollowUpsByOwner(
  prisma: CrmPrisma,
  where: Prisma.FollowUpAlertWhereInput,
): Promise<Map<string, number>> {
  const groups = await withProviderClient(prisma, {
    sqlite: (c) => c.followUpAlert.groupBy({ by: ['ownerId'], where, _count: { _all: true } }),
    postgres: (c) => c.followUpAlert.groupBy({ by: ['ownerId'], where, _count: { _all: true } }),
  });
  return new Map(groups.map((g) => [g.ownerId, g._count._all]));
}

/** The earliest next due time of the follow-ups matching `where`, per owner. */
export async function earliestDueByOwner(
  prisma: CrmPrisma,
  where: Prisma.FollowUpAlertWhereInput,
): Promise<Map<string, Date | null>> {
  const groups = await withProviderClient(prisma, {
    sqlite: (c) => c.followUpAlert.groupBy({ by: ['ownerId'], where, _min: { nextDueAt: true } }),
    postgres: (c) => c.followUpAlert.groupBy({ by: ['ownerId'], where, _min: { nextDueAt: true } }),
  });
  return new Map(groups.map((g) => [g.ownerId, g._min.nextDueAt]));
}

/** The earliest next due time of the follow-ups matching `where`, per lead. */
export async function earliestDueByLead(
  prisma: CrmPrisma,
  where: Prisma.FollowUpAlertWhereInput,
): Promise<Map<number, Date | null>> {
  const groups = await withProviderClient(prisma, {
    sqlite: (c) => c.followUpAlert.groupBy({ by: ['leadId'], where, _min: { nextDueAt: true } }),
    postgres: (c) => c.followUpAlert.groupBy({ by: ['leadId'], where, _min: { nextDueAt: true } }),
  });
  return new Map(groups.map((g) => [g.leadId, g._min.nextDueAt]));
}
