import { type AgendaClaimRow, claimAgendaRows } from '../../db/agenda-claims';
import type { CrmPrisma } from '../../db/client';
import type { NoAccessReason } from '../follow-ups/pause-follow-ups';
import type { DueAgenda } from './agenda-due';

/**
 * Exactly-once morning agendas: one AgendaDelivery row per person and local day. Whoever
 * inserts it (or takes over an expired, unsent claim) sends it; the outcome closes it:
 * sent, empty (nothing to say: skipped), failed (no access, unreachable, refused too often),
 * or back to claimable later (retry). See db/agenda-claims.ts and jobs/dm-batch.ts.
 */

/** How long a claim holds before another instance may take the agenda over. */
export const AGENDA_CLAIM_LEASE_MS = 2 * 60_000;
/** Refusals for an unexpected reason this many times give the day's agenda up. */
export const MAX_AGENDA_ATTEMPTS = 5;

export type ClaimedAgenda = AgendaClaimRow & { timeZone: string };

export async function claimAgendas(
  prisma: CrmPrisma,
  due: DueAgenda[],
  holder: string,
  now: Date,
  leaseMs = AGENDA_CLAIM_LEASE_MS,
): Promise<ClaimedAgenda[]> {
  const zoneOf = new Map(due.map((d) => [`${d.userId}|${d.day}`, d.timeZone]));
  const rows = await claimAgendaRows(prisma, due, holder, now, leaseMs);
  return rows.map((r) => ({ ...r, timeZone: zoneOf.get(`${r.userId}|${r.day}`)! }));
}

export async function renewAgendaClaims(
  prisma: CrmPrisma,
  deliveryIds: number[],
  holder: string,
  now: Date,
  leaseMs = AGENDA_CLAIM_LEASE_MS,
): Promise<number> {
  if (deliveryIds.length === 0) return 0;
  const res = await prisma.agendaDelivery.updateMany({
    where: { id: { in: deliveryIds }, claimedBy: holder, status: 'claimed' },
    data: { leaseUntil: new Date(now.getTime() + leaseMs) },
  });
  return res.count;
}

/** What became of one claimed agenda (the shape jobs/dm-batch.ts hands back). */
export type AgendaOutcome =
  | { kind: 'sent'; claim: ClaimedAgenda; channel: string; messageTs: string }
  | { kind: 'retry'; claim: ClaimedAgenda; error: string; retryAt: Date; mayHavePosted?: Date }
  | { kind: 'unreachable' | 'failed'; claim: ClaimedAgenda; error: string }
  | { kind: 'no_access'; claim: ClaimedAgenda; error: NoAccessReason }
  | { kind: 'skipped'; claim: ClaimedAgenda };

/**
 * Records outcomes in one transaction, each only while `holder` still holds its claim. A
 * batch is one team's agendas (tens to hundreds), so one update each is fine.
 */
export async function recordAgendaOutcomes(
  prisma: CrmPrisma,
  outcomes: AgendaOutcome[],
  holder: string,
  now: Date,
): Promise<void> {
  if (outcomes.length === 0) return;
  await prisma.$transaction(async (tx) => {
    for (const o of outcomes) {
      const mine = { id: o.claim.deliveryId, claimedBy: holder };
      switch (o.kind) {
        case 'sent':
          await tx.agendaDelivery.updateMany({
            where: mine,
            data: { status: 'sent', sentAt: now, channel: o.channel, messageTs: o.messageTs, lastError: null },
          });
          break;
        case 'skipped':
          await tx.agendaDelivery.updateMany({ where: mine, data: { status: 'empty', claimedAt: null } });
          break;
        case 'retry':
          // claimedAt cleared: this holder knows where its post stands (not posted, or noted in checkFrom).
          await tx.agendaDelivery.updateMany({
            where: mine,
            data: {
              leaseUntil: o.retryAt,
              lastError: o.error.slice(0, 500),
              claimedAt: null,
              checkFrom: o.claim.checkFrom ?? o.mayHavePosted ?? null,
            },
          });
          break;
        default:
          await tx.agendaDelivery.updateMany({
            where: mine,
            data: { status: 'failed', lastError: o.error.slice(0, 500), claimedAt: null },
          });
      }
    }
  });
}
