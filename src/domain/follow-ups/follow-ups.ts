import type { Clock } from '../../clock';
import { UserFacingError } from '../../common/errors';
import { addLocalDays } from '../../common/zoned-time';
import type { CrmPrisma } from '../../db/client';
import { describeSchedule, type FollowUpSchedule } from './schedule';

/**
 * Follow-up follow-ups: create, edit, cancel, and what the owner does with a delivered
 * reminder (Done, Snooze). Each change that matters to the lead is written to its history
 * as an Activity of kind `follow_up`.
 */

/** A follow-up operation the user cannot do: the text says why. */
export class FollowUpError extends UserFacingError {
  constructor(
    readonly code: 'not_found' | 'stale' | 'inactive' | 'forbidden',
    userMessage: string,
  ) {
    super(userMessage);
    this.name = 'FollowUpError';
  }
}

export interface NewFollowUp {
  leadId: number;
  ownerId: string;
  createdBy: string;
  message: string;
  schedule: FollowUpSchedule;
  firstDueAt: Date;
}

function historyText(schedule: FollowUpSchedule, message: string, ownerId: string): string {
  return `${describeSchedule(schedule)} (${schedule.timeZone}) for <@${ownerId}>: ${message}`;
}

function scheduleColumns(s: FollowUpSchedule) {
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

export async function createFollowUp(
  prisma: CrmPrisma,
  clock: Clock,
  input: NewFollowUp,
): Promise<{ id: number; nextDueAt: Date }> {
  const now = clock.now();
  return prisma.$transaction(async (tx) => {
    const lead = await tx.lead.findUnique({ where: { id: input.leadId }, select: { id: true } });
    if (!lead) throw new FollowUpError('not_found', 'That lead no longer exists.');
    const followUp = await tx.followUpAlert.create({
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
    return { id: followUp.id, nextDueAt: input.firstDueAt };
  });
}

export interface FollowUpEdit {
  followUpId: number;
  /** The version the modal was opened with: a newer one means someone changed it meanwhile. */
  expectedVersion: number;
  actorId: string;
  ownerId: string;
  message: string;
  schedule: FollowUpSchedule;
  firstDueAt: Date;
}

export async function updateFollowUp(
  prisma: CrmPrisma,
  clock: Clock,
  edit: FollowUpEdit,
): Promise<{ nextDueAt: Date }> {
  const now = clock.now();
  return prisma.$transaction(async (tx) => {
    const current = await tx.followUpAlert.findUnique({ where: { id: edit.followUpId } });
    if (!current) throw new FollowUpError('not_found', 'That follow-up no longer exists.');
    if (!current.active) throw new FollowUpError('inactive', 'That follow-up was cancelled or completed meanwhile.');
    const changed = await tx.followUpAlert.updateMany({
      where: { id: edit.followUpId, version: edit.expectedVersion },
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
      throw new FollowUpError(
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
export function mayManageFollowUp(
  followUp: { ownerId: string; createdBy: string },
  userId: string,
  isAdmin: boolean,
): boolean {
  return isAdmin || followUp.ownerId === userId || followUp.createdBy === userId;
}

export async function cancelFollowUp(
  prisma: CrmPrisma,
  clock: Clock,
  followUpId: number,
  actorId: string,
): Promise<{ leadId: number; ownerId: string }> {
  const now = clock.now();
  return prisma.$transaction(async (tx) => {
    const followUp = await tx.followUpAlert.findUnique({ where: { id: followUpId } });
    if (!followUp) throw new FollowUpError('not_found', 'That follow-up no longer exists.');
    if (!followUp.active) return { leadId: followUp.leadId, ownerId: followUp.ownerId };
    await tx.followUpAlert.update({
      where: { id: followUpId },
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
        leadId: followUp.leadId,
        actorId,
        kind: 'follow_up',
        toValue: 'cancelled',
        text: followUp.message,
        createdAt: now,
      },
    });
    return { leadId: followUp.leadId, ownerId: followUp.ownerId };
  });
}

export interface DeliveryAction {
  deliveryId: number;
  followUpId: number;
  leadId: number;
  ownerId: string;
  channel: string | null;
  messageTs: string | null;
  occurrenceAt: Date;
  sentAt: Date | null;
  /** Set by snooze: when the reminder comes back. */
  snoozedUntil?: Date;
  /** True when this press changed nothing (already done / follow-up gone). */
  alreadyHandled: boolean;
}

/** Who pressed a reminder's button: only its owner (or an admin) may answer it. */
export interface DeliveryActor {
  userId: string;
  isAdmin: boolean;
}

async function loadDelivery(prisma: CrmPrisma, deliveryId: number, actor: DeliveryActor) {
  const d = await prisma.alertDelivery.findUnique({ where: { id: deliveryId }, include: { alert: true } });
  if (!d) throw new FollowUpError('not_found', 'That follow-up no longer exists.');
  if (d.alert.ownerId !== actor.userId && !actor.isAdmin)
    throw new FollowUpError('forbidden', 'Only the person this follow-up is for can answer it.');
  const base = {
    deliveryId: d.id,
    followUpId: d.alertId,
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
 * the follow-up are done; a one-off follow-up is complete. Written to the lead's history.
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
    // A one-off follow-up with nothing more to send is complete (a pending snooze keeps it alive only if not done).
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
 * one week later in the follow-up's zone (or sooner, if the schedule's next occurrence is
 * sooner). The schedule itself is untouched, so a recurring follow-up keeps its rhythm.
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
    throw new FollowUpError('inactive', 'This follow-up was cancelled or disabled, so it cannot be snoozed.');
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
export function getFollowUp(prisma: CrmPrisma, followUpId: number) {
  return prisma.followUpAlert.findUnique({ where: { id: followUpId } });
}

/** One follow-up with its lead's customer name and company (the modal shows them), or null. */
export function getFollowUpWithCustomer(prisma: CrmPrisma, followUpId: number) {
  return prisma.followUpAlert.findUnique({
    where: { id: followUpId },
    include: { lead: { include: { customer: { select: { name: true, company: true } } } } },
  });
}
