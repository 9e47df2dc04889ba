import type { CrmPrisma } from '../db/client';
import type { LeadChange } from './leads';
import { getRole } from './roster';

/** What the previous owner of a lead is told when someone else changes its owner. */
export interface OwnerTakenNotice {
  /** The previous owner, on the roster. */
  to: string;
  actorId: string;
  /** The new owner; null when the lead was left without one. */
  newOwnerId: string | null;
  /** The owner_change history row: one notice per change, and the key that keeps it to one. */
  activityId: number;
  leadId: number;
  customerId: string;
  name: string;
}

/**
 * Whom to tell about an owner change, or null: only when the lead had an owner, the owner
 * changed, someone else than that owner changed it, and the previous owner is still on the
 * roster (who is off the roster is told nothing about customers).
 */
export async function ownerTakenNotice(
  prisma: CrmPrisma,
  change: LeadChange,
  actorId: string,
): Promise<OwnerTakenNotice | null> {
  const previous = change.previousOwnerId;
  if (!previous || previous === change.ownerId || previous === actorId) return null;
  if ((await getRole(prisma, previous)) === null) return null;
  const lead = await prisma.lead.findUnique({
    where: { id: change.leadId },
    select: { customerId: true, customer: { select: { name: true } } },
  });
  if (!lead) return null;
  return {
    to: previous,
    actorId,
    newOwnerId: change.ownerId,
    activityId: change.activityId,
    leadId: change.leadId,
    customerId: lead.customerId,
    name: lead.customer.name,
  };
}
