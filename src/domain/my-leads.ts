import { STAGES } from '../common/stages';
import type { CrmPrisma } from '../db/client';
import { countLeadsByStage } from '../db/lead-aggregates';

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
  const countOf = await countLeadsByStage(prisma, { ownerId });
  const stages = STAGES.map((s) => s.slug as string).filter((slug) => countOf.has(slug));
  // Stages no longer in the pipeline (hand-edited data) still show, after the known ones.
  for (const stage of countOf.keys()) if (!stages.includes(stage)) stages.push(stage);
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
