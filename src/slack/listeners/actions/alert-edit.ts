import type { AppContext } from '../../../app-context';
import { getAlertWithCustomer, mayManageAlert } from '../../../domain/alerts/alerts';
import { canAdminister, refusalFor } from '../../viewer';
import { buildFollowUpModal, buildFollowUpNoticeModal } from '../../views/follow-up-modal';
import { type InteractionOrigin, openModal } from '../../web-api/reply';
import type { ButtonListener } from '../types';
import { viewerForAction } from '../viewer-for-action';

/** "Edit" under one of "My follow-ups" on Home: the follow-up modal, prefilled. */
export function alertEdit(deps: AppContext): ButtonListener {
  return async ({ ack, body, action, client }) => {
    await ack();
    const origin: InteractionOrigin = { userId: body.user.id, triggerId: body.trigger_id };
    const viewer = await viewerForAction(deps, client, origin);
    const alertId = Number(action.value);
    const refusal = refusalFor(viewer, 'edit');
    const alert = refusal || !Number.isInteger(alertId) ? null : await getAlertWithCustomer(deps.db.prisma, alertId);
    const message = refusal
      ? refusal
      : !alert?.active
        ? 'That follow-up was cancelled or completed.'
        : !mayManageAlert(alert, viewer.userId, canAdminister(viewer))
          ? 'Only the person reminded, the one who set the follow-up, or an admin can change it.'
          : null;
    if (message || !alert) {
      await openModal(client, origin, buildFollowUpNoticeModal(message ?? 'That follow-up no longer exists.'));
      return;
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
    await openModal(client, origin, view);
  };
}
