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
  return pauseActiveFollowUpsOf(tx, ownerId, `owner has no access: ${reason}`, (count, leadNames) =>
    raiseAdminNotice(tx, { kind: 'owner_no_access', ownerId, count, leadNames, reason }, now),
  );
}

/**
 * Turns off every active follow-up of `ownerId` in one statement (by owner, never a list of
 * ids: an owner may have thousands), after reading the first few lead names for the notice.
 * Calls `notice` with the count and those names when any were paused; returns the count.
 */
export async function pauseActiveFollowUpsOf(
  tx: CrmTx,
  ownerId: string,
  disabledReason: string,
  notice: (count: number, leadNames: string[]) => Promise<unknown>,
): Promise<number> {
  const named = await tx.followUpAlert.findMany({
    where: { ownerId, active: true },
    select: { lead: { select: { customer: { select: { name: true } } } } },
    orderBy: { id: 'asc' },
    take: NOTICE_LEAD_NAMES,
  });
  if (named.length === 0) return 0;
  const { count } = await tx.followUpAlert.updateMany({
    where: { ownerId, active: true },
    data: { active: false, disabledReason },
  });
  if (count > 0)
    await notice(
      count,
      named.map((a) => a.lead.customer.name),
    );
  return count;
}
