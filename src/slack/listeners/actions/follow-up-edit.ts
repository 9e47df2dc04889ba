import type { AppContext } from '../../../app-context';
import { getFollowUpWithCustomer, mayManageFollowUp } from '../../../domain/follow-ups/follow-ups';
import { canAdminister, refusalFor, viewerForAction } from '../../viewer';
import { buildFollowUpModal, buildFollowUpNoticeModal } from '../../views/follow-up-modal';
import { type InteractionOrigin, openModal } from '../../web-api/reply';
import type { ButtonListener } from '../listener-types';

/** "Edit" under one of "My follow-ups" on Home: the follow-up modal, prefilled. */
export function followUpEdit(deps: AppContext): ButtonListener {
  return async ({ ack, body, action, client }) => {
    await ack();
    const origin: InteractionOrigin = { userId: body.user.id, triggerId: body.trigger_id };
    const viewer = await viewerForAction(deps, client, origin);
    const followUpId = Number(action.value);
    const refusal = refusalFor(viewer, 'edit');
    const followUp =
      refusal || !Number.isInteger(followUpId) ? null : await getFollowUpWithCustomer(deps.db.prisma, followUpId);
    const message = refusal
      ? refusal
      : !followUp?.active
        ? 'That follow-up was cancelled or completed.'
        : !mayManageFollowUp(followUp, viewer.userId, canAdminister(viewer))
          ? 'Only the person reminded, the one who set the follow-up, or an admin can change it.'
          : null;
    if (message || !followUp) {
      await openModal(client, origin, buildFollowUpNoticeModal(message ?? 'That follow-up no longer exists.'));
      return;
    }
    const view = buildFollowUpModal({
      lead: { leadId: followUp.leadId, name: followUp.lead.customer.name, company: followUp.lead.customer.company },
      values: {
        message: followUp.message,
        kind: followUp.kind,
        date: followUp.startDate,
        time: followUp.timeOfDay,
        interval: followUp.interval?.toString() ?? null,
        weekday: followUp.weekday?.toString() ?? null,
        dayOfMonth: followUp.dayOfMonth?.toString() ?? null,
        ownerId: followUp.ownerId,
      },
      timeZone: followUp.timeZone,
      editing: { followUpId: followUp.id, version: followUp.version },
    });
    await openModal(client, origin, view);
  };
}
