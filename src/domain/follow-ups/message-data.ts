import { splitList } from '../../common/lists';
import { formatUsd } from '../../common/money';
import { type StageLabels, stageLabel } from '../../common/stages';
import type { CrmPrisma } from '../../db/client';
import { loadStageLabels } from '../settings';
import { countOccurrencesBetween, describeSchedule } from './schedule';

/** Everything a follow-up DM shows. */
export interface FollowUpMessageData {
  deliveryId: number;
  followUpId: number;
  leadId: number;
  leadName: string;
  company: string | null;
  stageLabel: string;
  /** Formatted lifetime value, e.g. "$1,234.56". */
  lifetimeUsd: string;
  /** Currencies left out of the lifetime value (figure incomplete). */
  unconvertedCurrencies: string[];
  message: string;
  scheduleText: string;
  timeZone: string;
  occurrenceAt: Date;
  /** Set when the reminder goes out late (downtime): since when it was due. */
  overdueSince: Date | null;
  /** Further occurrences missed while it could not be sent. */
  missedCount: number;
}

/** A reminder is "overdue" in the DM when it goes out this much after its time. */
export const OVERDUE_AFTER_MS = 5 * 60_000;

/** Follow-ups with what their DM shows of the lead. */
export function loadFollowUpsWithLead(prisma: CrmPrisma, ids: number[]) {
  return prisma.followUpAlert.findMany({
    where: { id: { in: ids } },
    include: {
      lead: {
        select: {
          id: true,
          stage: true,
          customer: { select: { name: true, company: true, lifetimeUsdCents: true, unknownCurrencies: true } },
        },
      },
    },
  });
}

export type FollowUpWithLead = Awaited<ReturnType<typeof loadFollowUpsWithLead>>[number];

/** What one occurrence's DM shows, as of `now` (overdue when sent late). */
export function followUpMessageData(
  followUp: FollowUpWithLead,
  labels: StageLabels,
  delivery: { deliveryId: number; occurrenceAt: Date },
  now: Date,
): FollowUpMessageData {
  const late = now.getTime() - delivery.occurrenceAt.getTime() > OVERDUE_AFTER_MS;
  const customer = followUp.lead.customer;
  return {
    deliveryId: delivery.deliveryId,
    followUpId: followUp.id,
    leadId: followUp.leadId,
    leadName: customer.name,
    company: customer.company,
    stageLabel: stageLabel(followUp.lead.stage, labels),
    lifetimeUsd: formatUsd(customer.lifetimeUsdCents),
    unconvertedCurrencies: splitList(customer.unknownCurrencies),
    message: followUp.message,
    scheduleText: describeSchedule(followUp),
    timeZone: followUp.timeZone,
    occurrenceAt: delivery.occurrenceAt,
    overdueSince: late ? delivery.occurrenceAt : null,
    missedCount:
      late && followUp.kind !== 'once' ? countOccurrencesBetween(followUp, delivery.occurrenceAt, now, 99) : 0,
  };
}

/** Loads what the Done/Snooze update of one sent delivery shows. */
export async function loadFollowUpMessageData(
  prisma: CrmPrisma,
  delivery: { deliveryId: number; followUpId: number; occurrenceAt: Date; sentAt: Date | null },
): Promise<FollowUpMessageData | null> {
  const [[followUp], labels] = await Promise.all([
    loadFollowUpsWithLead(prisma, [delivery.followUpId]),
    loadStageLabels(prisma),
  ]);
  if (!followUp) return null;
  // Overdue-ness as of when it was sent, so an update does not change the story.
  return followUpMessageData(followUp, labels, delivery, delivery.sentAt ?? delivery.occurrenceAt);
}
