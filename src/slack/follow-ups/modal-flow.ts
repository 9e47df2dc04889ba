import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../../deps';
import { getRole } from '../../domain/roster';
import { validateAlertForm } from '../../domain/alerts/alert-input';
import { AlertError, createAlert, mayManageAlert, updateAlert } from '../../domain/alerts/alerts';
import { formatLocalDate, isValidTimeZone, localDateTimeOf } from '../../domain/zoned-time';
import { canAdminister, refusalFor, slackUserFacts, type Viewer } from '../viewer';
import {
  buildFollowUpModal,
  buildFollowUpNoticeModal,
  decodeFollowUpMetadata,
  followUpErrors,
  FOLLOW_UP_BLOCKS,
  readFollowUpSubmission,
} from '../views/follow-up-modal';
import { publishHome } from '../home/publish-home';

/** The zone a person's follow-ups are read in: their Slack zone (cached users.info), else CRM_TIMEZONE. */
export async function ownerTimeZone(deps: AppDeps, client: WebClient, userId: string): Promise<string> {
  const facts = await slackUserFacts(deps, client, userId);
  return isValidTimeZone(facts.tz) ? facts.tz : deps.config.CRM_TIMEZONE;
}

export type OpenResult = { ok: true } | { ok: false; message: string };

/** Opens the modal to set a new follow-up on a lead, for the viewer by default, tomorrow 09:00 their time. */
export async function openNewFollowUpModal(deps: AppDeps, client: WebClient, args: { triggerId: string; viewer: Viewer; leadId: number }): Promise<OpenResult> {
  const refusal = refusalFor(args.viewer, 'edit');
  if (refusal) return { ok: false, message: refusal };
  const lead = await deps.db.prisma.lead.findUnique({ where: { id: args.leadId }, include: { customer: { select: { name: true, company: true } } } });
  if (!lead) return { ok: false, message: 'That lead no longer exists.' };
  const timeZone = args.viewer.timeZone;
  const tomorrow = formatLocalDate(localDateTimeOf(deps.clock.now(), timeZone).day + 1);
  const view = buildFollowUpModal({
    lead: { leadId: lead.id, name: lead.customer.name, company: lead.customer.company },
    values: { message: null, kind: 'once', date: tomorrow, time: '09:00', interval: null, weekday: null, dayOfMonth: null, ownerId: args.viewer.userId },
    timeZone,
  });
  await client.views.open({ trigger_id: args.triggerId, view });
  return { ok: true };
}

/** Opens the modal prefilled with an existing follow-up (Home tab "Edit"). */
export async function openEditFollowUpModal(deps: AppDeps, client: WebClient, args: { triggerId: string; viewer: Viewer; alertId: number }): Promise<OpenResult> {
  const refusal = refusalFor(args.viewer, 'edit');
  const alert = await deps.db.prisma.followUpAlert.findUnique({ where: { id: args.alertId }, include: { lead: { include: { customer: { select: { name: true, company: true } } } } } });
  const message = refusal
    ? refusal
    : !alert || !alert.active
      ? 'That follow-up was cancelled or completed.'
      : !mayManageAlert(alert, args.viewer.userId, canAdminister(args.viewer))
        ? 'Only the person reminded, the one who set the follow-up, or an admin can change it.'
        : null;
  if (message || !alert) {
    await client.views.open({ trigger_id: args.triggerId, view: buildFollowUpNoticeModal(message ?? 'That follow-up no longer exists.') });
    return { ok: false, message: message ?? 'That follow-up no longer exists.' };
  }
  const view = buildFollowUpModal({
    lead: { leadId: alert.leadId, name: alert.lead.customer.name, company: alert.lead.customer.company },
    values: {
      message: alert.message,
      kind: alert.kind,
      date: alert.startDate,
      time: alert.timeOfDay,
      interval: alert.interval?.toString() ?? null,
      weekday: alert.weekday?.toString() ?? null,
      dayOfMonth: alert.dayOfMonth?.toString() ?? null,
      ownerId: alert.ownerId,
    },
    timeZone: alert.timeZone,
    editing: { alertId: alert.id, version: alert.version },
  });
  await client.views.open({ trigger_id: args.triggerId, view });
  return { ok: true };
}

export type SubmissionResult =
  | { ok: true; alertId: number | null; ownerId: string; nextDueAt: Date }
  | { ok: false; errors: Record<string, string> };

/**
 * Validates and saves a follow-up modal submission. Returns the field errors to answer
 * with (`response_action: "errors"`), or what was saved.
 */
export async function saveFollowUpSubmission(
  deps: AppDeps,
  client: WebClient,
  viewer: Viewer,
  view: { private_metadata?: string; state: { values: Record<string, Record<string, any>> } },
): Promise<SubmissionResult> {
  const fail = (field: keyof typeof FOLLOW_UP_BLOCKS, message: string): SubmissionResult => ({ ok: false, errors: { [FOLLOW_UP_BLOCKS[field]]: message } });
  const refusal = refusalFor(viewer, 'edit');
  if (refusal) {
    deps.logger.warn({ userId: viewer.userId }, 'follow-up submission refused');
    return fail('message', refusal);
  }
  const meta = decodeFollowUpMetadata(view.private_metadata);
  if (!meta) {
    deps.logger.warn({ userId: viewer.userId }, 'follow-up modal without valid metadata');
    return fail('message', 'This form is out of date. Close it and open it again from the lead.');
  }
  const form = readFollowUpSubmission(view.state.values);
  const ownerId = form.ownerId ?? viewer.userId;
  if (ownerId !== viewer.userId) {
    if ((await getRole(deps.db.prisma, ownerId)) === null) return fail('owner', 'That person is not on the CRM roster, so they cannot get follow-ups.');
    const facts = await slackUserFacts(deps, client, ownerId);
    if (facts.deleted || facts.guest) return fail('owner', 'That person cannot get follow-ups (deactivated or a guest account).');
  }
  const timeZone = ownerId === viewer.userId ? viewer.timeZone : await ownerTimeZone(deps, client, ownerId);
  const now = deps.clock.now();
  const valid = validateAlertForm(form, timeZone, now);
  if (!valid.ok) {
    deps.logger.info({ userId: viewer.userId, fields: Object.keys(valid.errors) }, 'follow-up form refused');
    return { ok: false, errors: followUpErrors(valid.errors) };
  }
  try {
    if (meta.alertId !== undefined) {
      const existing = await deps.db.prisma.followUpAlert.findUnique({ where: { id: meta.alertId } });
      if (!existing || existing.leadId !== meta.leadId) return fail('message', 'That follow-up no longer exists.');
      if (!mayManageAlert(existing, viewer.userId, canAdminister(viewer))) return fail('message', 'Only the person reminded, the one who set the follow-up, or an admin can change it.');
      const saved = await updateAlert(deps.db.prisma, deps.clock, {
        alertId: meta.alertId,
        expectedVersion: meta.version!,
        actorId: viewer.userId,
        ownerId,
        message: valid.message,
        schedule: valid.schedule,
        firstDueAt: valid.firstDueAt,
      });
      return { ok: true, alertId: meta.alertId, ownerId, nextDueAt: saved.nextDueAt };
    }
    const created = await createAlert(deps.db.prisma, deps.clock, {
      leadId: meta.leadId,
      ownerId,
      createdBy: viewer.userId,
      message: valid.message,
      schedule: valid.schedule,
      firstDueAt: valid.firstDueAt,
    });
    return { ok: true, alertId: created.id, ownerId, nextDueAt: created.nextDueAt };
  } catch (err) {
    if (err instanceof AlertError) return fail('message', err.userMessage);
    throw err;
  }
}

/** Republishes the Home tabs a follow-up change shows on; failures are logged only. */
export async function republishFollowUpHomes(deps: AppDeps, client: WebClient, userIds: string[]): Promise<void> {
  await Promise.all(
    [...new Set(userIds)].map((id) => publishHome(deps, client, id).catch((err) => deps.logger.warn({ err, userId: id }, 'republishing the Home tab failed'))),
  );
}
