import type { Clock } from '../../clock';
import { UserFacingError } from '../../common/errors';
import { addLocalDays } from '../../common/zoned-time';
import type { CrmPrisma } from '../../db/client';
import { type AlertSchedule, describeSchedule } from './schedule';

/**
 * Follow-up alerts: create, edit, cancel, and what the owner does with a delivered
 * reminder (Done, Snooze). Each change that matters to the lead is written to its history
 * as an Activity of kind `follow_up`.
 */

/** A follow-up operation the user cannot do: the text says why. */
export class AlertError extends UserFacingError {
  constructor(
    readonly code: 'not_found' | 'stale' | 'inactive' | 'forbidden',
    userMessage: string,
  ) {
    super(userMessage);
    this.name = 'AlertError';
  }
}

export interface NewAlert {
  leadId: number;
  ownerId: string;
  createdBy: string;
  message: string;
  schedule: AlertSchedule;
  firstDueAt: Date;
}

function historyText(schedule: AlertSchedule, message: string, ownerId: string): string {
  return `${describeSchedule(schedule)} (${schedule.timeZone}) for <@${ownerId}>: ${message}`;
}

function scheduleColumns(s: AlertSchedule) {
  return {
    kind: s.kind,
    interval: s.interval ?? null,
    weekday: s.weekday ?? null,
    dayOfMonth: s.dayOfMonth ?? null,
    timeOfDay: s.timeOfDay,
    timeZone: s.timeZone,
    startDate: s.startDate,
  };
}

export async function createAlert(
  prisma: CrmPrisma,
  clock: Clock,
  input: NewAlert,
): Promise<{ id: number; nextDueAt: Date }> {
  const now = clock.now();
  return prisma.$transaction(async (tx) => {
    const lead = await tx.lead.findUnique({ where: { id: input.leadId }, select: { id: true } });
    if (!lead) throw new AlertError('not_found', 'That lead no longer exists.');
    const alert = await tx.followUpAlert.create({
      data: {
        leadId: input.leadId,
        ownerId: input.ownerId,
        message: input.message,
        ...scheduleColumns(input.schedule),
        nextDueAt: input.firstDueAt,
        createdBy: input.createdBy,
        createdAt: now,
      },
    });
    await tx.activity.create({
      data: {
        leadId: input.leadId,
        actorId: input.createdBy,
        kind: 'follow_up',
        toValue: 'created',
        text: historyText(input.schedule, input.message, input.ownerId),
        createdAt: now,
      },
    });
    return { id: alert.id, nextDueAt: input.firstDueAt };
  });
}

export interface AlertEdit {
  alertId: number;
  /** The version the modal was opened with: a newer one means someone changed it meanwhile. */
  expectedVersion: number;
  actorId: string;
  ownerId: string;
  message: string;
  schedule: AlertSchedule;
  firstDueAt: Date;
}

export async function updateAlert(prisma: CrmPrisma, clock: Clock, edit: AlertEdit): Promise<{ nextDueAt: Date }> {
  const now = clock.now();
  return prisma.$transaction(async (tx) => {
    const current = await tx.followUpAlert.findUnique({ where: { id: edit.alertId } });
    if (!current) throw new AlertError('not_found', 'That follow-up no longer exists.');
    if (!current.active) throw new AlertError('inactive', 'That follow-up was cancelled or completed meanwhile.');
    const changed = await tx.followUpAlert.updateMany({
      where: { id: edit.alertId, version: edit.expectedVersion },
      data: {
        ownerId: edit.ownerId,
        message: edit.message,
        ...scheduleColumns(edit.schedule),
        nextDueAt: edit.firstDueAt,
        version: { increment: 1 },
        updatedAt: now,
      },
    });
    if (changed.count === 0)
      throw new AlertError(
        'stale',
        'Someone changed this follow-up while you were editing it. Open it again to see the current version.',
      );
    await tx.activity.create({
      data: {
        leadId: current.leadId,
        actorId: edit.actorId,
        kind: 'follow_up',
        toValue: 'updated',
        text: historyText(edit.schedule, edit.message, edit.ownerId),
        createdAt: now,
      },
    });
    return { nextDueAt: edit.firstDueAt };
  });
}

/** Only the owner, the creator or an admin may change or cancel a follow-up. */
export function mayManageAlert(
  alert: { ownerId: string; createdBy: string },
  userId: string,
  isAdmin: boolean,
): boolean {
  return isAdmin || alert.ownerId === userId || alert.createdBy === userId;
}

export async function cancelAlert(
  prisma: CrmPrisma,
  clock: Clock,
  alertId: number,
  actorId: string,
): Promise<{ leadId: number; ownerId: string }> {
  const now = clock.now();
  return prisma.$transaction(async (tx) => {
    const alert = await tx.followUpAlert.findUnique({ where: { id: alertId } });
    if (!alert) throw new AlertError('not_found', 'That follow-up no longer exists.');
    if (!alert.active) return { leadId: alert.leadId, ownerId: alert.ownerId };
    await tx.followUpAlert.update({
      where: { id: alertId },
      data: {
        active: false,
        nextDueAt: null,
        disabledReason: `cancelled by ${actorId}`,
        version: { increment: 1 },
        updatedAt: now,
      },
    });
    await tx.activity.create({
      data: {
        leadId: alert.leadId,
        actorId,
        kind: 'follow_up',
        toValue: 'cancelled',
        text: alert.message,
        createdAt: now,
      },
    });
    return { leadId: alert.leadId, ownerId: alert.ownerId };
  });
}

export interface DeliveryAction {
  deliveryId: number;
  alertId: number;
  leadId: number;
  ownerId: string;
  channel: string | null;
  messageTs: string | null;
  occurrenceAt: Date;
  sentAt: Date | null;
  /** Set by snooze: when the reminder comes back. */
  snoozedUntil?: Date;
  /** True when this press changed nothing (already done / alert gone). */
  alreadyHandled: boolean;
}

/** Who pressed a reminder's button: only its owner (or an admin) may answer it. */
export interface DeliveryActor {
  userId: string;
  isAdmin: boolean;
}

async function loadDelivery(prisma: CrmPrisma, deliveryId: number, actor: DeliveryActor) {
  const d = await prisma.alertDelivery.findUnique({ where: { id: deliveryId }, include: { alert: true } });
  if (!d) throw new AlertError('not_found', 'That follow-up no longer exists.');
  if (d.alert.ownerId !== actor.userId && !actor.isAdmin)
    throw new AlertError('forbidden', 'Only the person this follow-up is for can answer it.');
  const base = {
    deliveryId: d.id,
    alertId: d.alertId,
    leadId: d.alert.leadId,
    ownerId: d.alert.ownerId,
    channel: d.channel,
    messageTs: d.messageTs,
    occurrenceAt: d.occurrenceAt,
    sentAt: d.sentAt,
  };
  return { d, base };
}

/**
 * The owner pressed Done on a reminder: that reminder and any earlier unanswered ones of
 * the alert are done; a one-off alert is complete. Written to the lead's history.
 */
export async function markDeliveryDone(
  prisma: CrmPrisma,
  clock: Clock,
  deliveryId: number,
  actor: DeliveryActor,
): Promise<DeliveryAction> {
  const now = clock.now();
  const { d, base } = await loadDelivery(prisma, deliveryId, actor);
  if (d.status === 'done') return { ...base, alreadyHandled: true };
  await prisma.$transaction(async (tx) => {
    await tx.alertDelivery.updateMany({
      where: { alertId: d.alertId, status: { in: ['sent', 'snoozed'] }, occurrenceAt: { lte: d.occurrenceAt } },
      data: { status: 'done' },
    });
    await tx.alertDelivery.update({ where: { id: d.id }, data: { status: 'done' } });
    // A one-off alert with nothing more to send is complete (a pending snooze keeps it alive only if not done).
    if (d.alert.kind === 'once' && d.alert.active) {
      await tx.followUpAlert.update({
        where: { id: d.alertId },
        data: { active: false, nextDueAt: null, version: { increment: 1 }, updatedAt: now },
      });
    }
    await tx.activity.create({
      data: {
        leadId: d.alert.leadId,
        actorId: actor.userId,
        kind: 'follow_up',
        toValue: 'done',
        text: d.alert.message,
        createdAt: now,
      },
    });
  });
  return { ...base, alreadyHandled: false };
}

export type SnoozeLength = 'day' | 'week';

/**
 * The owner pressed Snooze: the reminder comes back at the same wall-clock time one day or
 * one week later in the alert's zone (or sooner, if the schedule's next occurrence is
 * sooner). The schedule itself is untouched, so a recurring alert keeps its rhythm.
 */
export async function snoozeDelivery(
  prisma: CrmPrisma,
  clock: Clock,
  deliveryId: number,
  length: SnoozeLength,
  actor: DeliveryActor,
): Promise<DeliveryAction> {
  const now = clock.now();
  const { d, base } = await loadDelivery(prisma, deliveryId, actor);
  if (!d.alert.active)
    throw new AlertError('inactive', 'This follow-up was cancelled or disabled, so it cannot be snoozed.');
  if (d.status === 'done') return { ...base, alreadyHandled: true };
  const until = addLocalDays(
    new Date(Math.floor(now.getTime() / 60_000) * 60_000),
    length === 'day' ? 1 : 7,
    d.alert.timeZone,
  );
  const next = d.alert.nextDueAt && d.alert.nextDueAt.getTime() < until.getTime() ? d.alert.nextDueAt : until;
  await prisma.$transaction(async (tx) => {
    await tx.alertDelivery.updateMany({
      where: { alertId: d.alertId, status: 'sent', occurrenceAt: { lte: d.occurrenceAt } },
      data: { status: 'snoozed' },
    });
    await tx.alertDelivery.update({ where: { id: d.id }, data: { status: 'snoozed' } });
    await tx.followUpAlert.update({ where: { id: d.alertId }, data: { nextDueAt: next, updatedAt: now } });
  });
  return { ...base, snoozedUntil: until, alreadyHandled: false };
}

/** One follow-up, or null when it does not exist. */
export function getAlert(prisma: CrmPrisma, alertId: number) {
  return prisma.followUpAlert.findUnique({ where: { id: alertId } });
}

/** One follow-up with its lead's customer name and company (the modal shows them), or null. */
export function getAlertWithCustomer(prisma: CrmPrisma, alertId: number) {
  return prisma.followUpAlert.findUnique({
    where: { id: alertId },
    include: { lead: { include: { customer: { select: { name: true, company: true } } } } },
  });
}
