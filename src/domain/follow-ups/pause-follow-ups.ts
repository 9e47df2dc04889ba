import type { CrmTx } from '../../db/client';
import { NOTICE_LEAD_NAMES, raiseAdminNotice } from '../admin-notices';

/** Why an owner may no longer receive follow-ups. */
export type NoAccessReason = 'removed' | 'read_only' | 'guest';

/**
 * Pauses every active follow-up of an owner who lost access, with one admin notice naming
 * the first few leads. Runs inside the caller's transaction (the roster change, or the
 * delivery outcome), so access and follow-ups never disagree. Returns how many were paused.
 */
export async function pauseFollowUpsOfOwner(
  tx: CrmTx,
  ownerId: string,
  reason: NoAccessReason,
  now: Date,
): Promise<number> {
  const affected = await tx.followUpAlert.findMany({
    where: { ownerId, active: true },
    select: { id: true, lead: { select: { customer: { select: { name: true } } } } },
    orderBy: { id: 'asc' },
    take: 1000,
  });
  if (affected.length === 0) return 0;
  await tx.followUpAlert.updateMany({
    where: { id: { in: affected.map((a) => a.id) } },
    data: { active: false, disabledReason: `owner has no access: ${reason}` },
  });
  const leadNames = affected.slice(0, NOTICE_LEAD_NAMES).map((a) => a.lead.customer.name);
  await raiseAdminNotice(tx, { kind: 'owner_no_access', ownerId, count: affected.length, leadNames, reason }, now);
  return affected.length;
}
