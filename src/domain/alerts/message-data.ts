import { formatUsd } from '../../common/money';
import type { CrmPrisma } from '../../db/client';
import { splitList } from '../pipeline';
import { loadStageLabels, type StageLabels, stageLabel } from '../stages';
import { countOccurrencesBetween, describeSchedule } from './schedule';

/** Everything a follow-up DM shows. */
export interface AlertMessageData {
  deliveryId: number;
  alertId: number;
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
export function loadAlertsWithLead(prisma: CrmPrisma, ids: number[]) {
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

export type AlertWithLead = Awaited<ReturnType<typeof loadAlertsWithLead>>[number];

/** What one occurrence's DM shows, as of `now` (overdue when sent late). */
export function alertMessageData(
  alert: AlertWithLead,
  labels: StageLabels,
  delivery: { deliveryId: number; occurrenceAt: Date },
  now: Date,
): AlertMessageData {
  const late = now.getTime() - delivery.occurrenceAt.getTime() > OVERDUE_AFTER_MS;
  const customer = alert.lead.customer;
  return {
    deliveryId: delivery.deliveryId,
    alertId: alert.id,
    leadId: alert.leadId,
    leadName: customer.name,
    company: customer.company,
    stageLabel: stageLabel(alert.lead.stage, labels),
    lifetimeUsd: formatUsd(customer.lifetimeUsdCents),
    unconvertedCurrencies: splitList(customer.unknownCurrencies),
    message: alert.message,
    scheduleText: describeSchedule(alert),
    timeZone: alert.timeZone,
    occurrenceAt: delivery.occurrenceAt,
    overdueSince: late ? delivery.occurrenceAt : null,
    missedCount: late && alert.kind !== 'once' ? countOccurrencesBetween(alert, delivery.occurrenceAt, now, 99) : 0,
  };
}

/** Loads what the Done/Snooze update of one sent delivery shows. */
export async function loadAlertMessageData(
  prisma: CrmPrisma,
  delivery: { deliveryId: number; alertId: number; occurrenceAt: Date; sentAt: Date | null },
): Promise<AlertMessageData | null> {
  const [[alert], labels] = await Promise.all([
    loadAlertsWithLead(prisma, [delivery.alertId]),
    loadStageLabels(prisma),
  ]);
  if (!alert) return null;
  // Overdue-ness as of when it was sent, so an update does not change the story.
  return alertMessageData(alert, labels, delivery, delivery.sentAt ?? delivery.occurrenceAt);
}
