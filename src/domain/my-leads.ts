import { STAGES } from '../common/stages';
import type { CrmPrisma } from '../db/client';

/** A user's own leads, grouped by stage in pipeline order, biggest lifetime USD first. */

export interface OwnedLead {
  leadId: number;
  customerId: string;
  name: string;
  company: string | null;
  lifetimeUsdCents: bigint;
  lastTouchAt: Date | null;
}

export interface OwnedStage {
  stage: string;
  count: number;
  leads: OwnedLead[];
}

export async function listLeadsOwnedBy(prisma: CrmPrisma, ownerId: string, perStage = 10): Promise<OwnedStage[]> {
  const counts = await prisma.lead.groupBy({ by: ['stage'], where: { ownerId }, _count: { _all: true } });
  const countOf = new Map(counts.map((c) => [c.stage, c._count._all]));
  const stages = STAGES.map((s) => s.slug as string).filter((slug) => countOf.has(slug));
  // Stages no longer in the pipeline (hand-edited data) still show, after the known ones.
  for (const c of counts) if (!stages.includes(c.stage)) stages.push(c.stage);
  return Promise.all(
    stages.map(async (stage) => {
      const rows = await prisma.lead.findMany({
        where: { ownerId, stage },
        include: { customer: { select: { name: true, company: true, lifetimeUsdCents: true } } },
        orderBy: [{ customer: { lifetimeUsdCents: 'desc' } }, { id: 'asc' }],
        take: perStage,
      });
      return {
        stage,
        count: countOf.get(stage) ?? 0,
        leads: rows.map((l) => ({
          leadId: l.id,
          customerId: l.customerId,
          name: l.customer.name,
          company: l.customer.company,
          lifetimeUsdCents: l.customer.lifetimeUsdCents,
          lastTouchAt: l.lastTouchAt,
        })),
      };
    }),
  );
}
