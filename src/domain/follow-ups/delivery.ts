import type { CrmPrisma, Database } from '../../db/client';
import { advanceNextDue, insertClaims, markDeliveriesSent } from '../../db/follow-up-deliveries';
import { raiseAdminNotice } from '../admin-notices';
import { type NoAccessReason, pauseActiveFollowUpsOf, pauseFollowUpsOfOwner } from './pause-follow-ups';
import { nextOccurrenceAfter } from './schedule';

/**
 * Exactly-once delivery of due follow-ups across app instances sharing one database.
 *
 * A due occurrence is claimed by inserting its AlertDelivery row (unique per follow-up and
 * occurrence) with a lease. Only the instance whose insert (or re-claim of an expired,
 * unsent lease) succeeds sends it. A crash between claim and send leaves the row
 * `claimed`; once the lease expires any instance re-claims and sends it.
 *
 * A holder that may have posted without recording it (its answer was lost, or it died
 * between post and record) leaves `checkFrom` behind: whoever sends the occurrence next
 * first looks for the DM in Slack (by its metadata) instead of posting blindly. `claimedAt`
 * is what makes that work for a crash: it stays set while the holder may be posting, and
 * a takeover turns it into `checkFrom`.
 *
 * The occurrence claimed is the follow-up's nextDueAt: after downtime that is the first one
 * missed, and after sending nextDueAt jumps to the first occurrence after now, so one
 * message ("overdue since …") stands for all the missed ones.
 */

/** How long a claim holds before another instance may take the occurrence over. */
export const DEFAULT_CLAIM_LEASE_MS = 2 * 60_000;

/** Sends that failed this many times for an unexpected reason disable the follow-up (with an admin notice). */
export const MAX_DELIVERY_ATTEMPTS = 5;

export interface DueOccurrence {
  followUpId: number;
  occurrenceAt: Date;
}

/** Active follow-ups due at `now`, in id order after `afterId` (a cursor, so a tick visits each once). */
export async function findDueOccurrences(
  prisma: CrmPrisma,
  now: Date,
  afterId: number,
  limit: number,
): Promise<DueOccurrence[]> {
  const rows = await prisma.followUpAlert.findMany({
    where: { active: true, nextDueAt: { lte: now }, id: { gt: afterId } },
    orderBy: { id: 'asc' },
    take: limit,
    select: { id: true, nextDueAt: true },
  });
  return rows.map((r) => ({ followUpId: r.id, occurrenceAt: r.nextDueAt! }));
}

export interface ClaimedOccurrence extends DueOccurrence {
  deliveryId: number;
  /** 1 on the first claim; more when re-claimed after a failed or abandoned attempt. */
  attempts: number;
  /** Set when an earlier attempt may have reached Slack: look for the DM from this time before posting. */
  checkFrom: Date | null;
}

/**
 * Claims the given occurrences for `holder` in one statement: new ones are inserted, ones
 * whose earlier claim expired without a send are taken over. Returns those now held.
 */
export async function claimOccurrences(
  prisma: CrmPrisma,
  due: DueOccurrence[],
  holder: string,
  now: Date,
  leaseMs = DEFAULT_CLAIM_LEASE_MS,
): Promise<ClaimedOccurrence[]> {
  if (due.length === 0) return [];
  const claimed = await insertClaims(prisma, due, holder, now, new Date(now.getTime() + leaseMs));
  const occurrenceOf = new Map(due.map((d) => [d.followUpId, d.occurrenceAt]));
  return claimed.map((c) => ({ ...c, occurrenceAt: occurrenceOf.get(c.followUpId)! }));
}

/**
 * Extends the lease of claims still being worked on by `holder`; returns how many it still
 * holds. A batch renews while it runs, so a slow batch (rate limits, a slow Slack) is not
 * taken over and sent twice.
 */
export async function renewClaims(
  prisma: CrmPrisma,
  deliveryIds: number[],
  holder: string,
  now: Date,
  leaseMs = DEFAULT_CLAIM_LEASE_MS,
): Promise<number> {
  if (deliveryIds.length === 0) return 0;
  const res = await prisma.alertDelivery.updateMany({
    where: { id: { in: deliveryIds }, claimedBy: holder, status: 'claimed' },
    data: { leaseUntil: new Date(now.getTime() + leaseMs) },
  });
  return res.count;
}

/** What became of one claimed occurrence. */
export type DeliveryOutcome =
  | { kind: 'sent'; claim: ClaimedOccurrence; channel: string; messageTs: string }
  /**
   * A fault that may pass (5xx, network, rate limit): claimable again from `retryAt`.
   * `mayHavePosted` is when an attempt whose outcome is unknown began (lost answer, timeout).
   */
  | { kind: 'retry'; claim: ClaimedOccurrence; error: string; retryAt: Date; mayHavePosted?: Date }
  /** The owner cannot receive DMs any more (deactivated, not found): stop and tell the admins. */
  | { kind: 'unreachable'; claim: ClaimedOccurrence; error: string }
  /** The owner may not receive it (not on the roster, read-only, a guest): nothing sent; their follow-ups pause. */
  | { kind: 'no_access'; claim: ClaimedOccurrence; error: NoAccessReason }
  /** Failed for a reason that will not pass by itself: stop and tell the admins. */
  | { kind: 'failed'; claim: ClaimedOccurrence; error: string };

export interface FollowUpForOutcome {
  id: number;
  ownerId: string;
  kind: string;
  interval: number | null;
  weekday: number | null;
  dayOfMonth: number | null;
  timeOfDay: string;
  timeZone: string;
  startDate: string;
  leadName: string;
}

/**
 * Records the outcomes of sends, in one transaction (the job records each send as soon as
 * Slack accepts it, grouping those that finish while a write is under way). A sent occurrence moves
 * the follow-up to its next occurrence after now (only if nobody changed nextDueAt meanwhile,
 * e.g. an edit or a snooze); an unreachable owner disables every active follow-up of theirs,
 * with one admin notice per owner.
 */
export async function recordOutcomes(
  db: Database,
  outcomes: DeliveryOutcome[],
  followUps: ReadonlyMap<number, FollowUpForOutcome>,
  holder: string,
  now: Date,
): Promise<{ disabledFollowUps: number; notices: number }> {
  if (outcomes.length === 0) return { disabledFollowUps: 0, notices: 0 };
  let disabledFollowUps = 0;
  let notices = 0;
  await db.prisma.$transaction(async (tx) => {
    const unreachableOwners = new Map<string, string>();
    const noAccessOwners = new Map<string, NoAccessReason>();
    // [follow-up id, the occurrence sent, the next one]: all advance in one statement.
    const advances: [number, Date, Date | null][] = [];
    const sent: Extract<DeliveryOutcome, { kind: 'sent' }>[] = [];
    for (const o of outcomes) {
      const { claim } = o;
      const mine = { id: claim.deliveryId, claimedBy: holder };
      const followUp = followUps.get(claim.followUpId);
      if (o.kind === 'sent') {
        sent.push(o);
        if (followUp) {
          const later = now.getTime() > claim.occurrenceAt.getTime() ? now : claim.occurrenceAt;
          advances.push([claim.followUpId, claim.occurrenceAt, nextOccurrenceAfter(followUp, later)]);
        }
      } else if (o.kind === 'retry') {
        // claimedAt cleared: this holder knows where its post stands (not posted, or noted in checkFrom).
        const checkFrom = claim.checkFrom ?? o.mayHavePosted ?? null;
        await tx.alertDelivery.updateMany({
          where: mine,
          data: { leaseUntil: o.retryAt, lastError: o.error.slice(0, 500), claimedAt: null, checkFrom },
        });
      } else {
        await tx.alertDelivery.updateMany({
          where: mine,
          data: { status: 'failed', lastError: o.error.slice(0, 500), claimedAt: null },
        });
        if (!followUp) continue;
        if (o.kind === 'no_access') {
          noAccessOwners.set(followUp.ownerId, o.error);
          continue;
        }
        if (o.kind === 'unreachable') {
          unreachableOwners.set(followUp.ownerId, o.error);
          continue;
        }
        const res = await tx.followUpAlert.updateMany({
          where: { id: followUp.id, active: true },
          data: { active: false, disabledReason: `delivery failed: ${o.error}`.slice(0, 500) },
        });
        if (res.count) {
          disabledFollowUps += res.count;
          notices += 1;
          await raiseAdminNotice(
            tx,
            {
              kind: 'follow_up_failed',
              leadName: followUp.leadName,
              ownerId: followUp.ownerId,
              attempts: MAX_DELIVERY_ATTEMPTS,
              error: o.error,
            },
            now,
          );
        }
      }
    }
    if (sent.length)
      await markDeliveriesSent(
        db,
        tx,
        sent.map((o) => ({ deliveryId: o.claim.deliveryId, channel: o.channel, messageTs: o.messageTs })),
        holder,
        now,
      );
    if (advances.length) await advanceNextDue(db, tx, advances, now);
    for (const [ownerId, reason] of noAccessOwners) {
      const paused = await pauseFollowUpsOfOwner(tx, ownerId, reason, now);
      disabledFollowUps += paused;
      if (paused) notices += 1;
    }
    for (const [ownerId, error] of unreachableOwners) {
      const paused = await pauseActiveFollowUpsOf(tx, ownerId, `owner unreachable: ${error}`, (count, leadNames) =>
        raiseAdminNotice(tx, { kind: 'owner_unreachable', ownerId, count, leadNames, error }, now),
      );
      disabledFollowUps += paused;
      if (paused) notices += 1;
    }
  });
  return { disabledFollowUps, notices };
}
