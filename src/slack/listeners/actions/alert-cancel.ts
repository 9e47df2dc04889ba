import type { AppContext } from '../../../app-context';
import { AlertError, cancelAlert, getAlert, mayManageAlert } from '../../../domain/alerts/alerts';
import { canAdminister, refusalFor, resolveViewer } from '../../viewer';
import { buildFollowUpNoticeModal } from '../../views/follow-up-modal';
import type { ButtonListener } from '../types';

/** "Cancel" under one of "My follow-ups" on Home: stops the follow-up, republishes the Homes it showed on. */
export function alertCancel(deps: AppContext): ButtonListener {
  return async ({ ack, body, action, client }) => {
    await ack();
    const viewer = await resolveViewer(deps, client, body.user.id);
    const alertId = Number(action.value);
    const alert = Number.isInteger(alertId) ? await getAlert(deps.db.prisma, alertId) : null;
    const refusal =
      refusalFor(viewer, 'edit') ??
      (!alert
        ? 'That follow-up no longer exists.'
        : !mayManageAlert(alert, viewer.userId, canAdminister(viewer))
          ? 'Only the person reminded, the one who set the follow-up, or an admin can cancel it.'
          : null);
    if (refusal || !alert) {
      deps.logger.info({ userId: viewer.userId, alertId }, 'follow-up cancel refused');
      const view = buildFollowUpNoticeModal(refusal ?? 'That follow-up no longer exists.');
      await client.views.open({ trigger_id: body.trigger_id, view }).catch(() => undefined);
      return;
    }
    try {
      await cancelAlert(deps.db.prisma, deps.clock, alertId, viewer.userId);
    } catch (err) {
      if (!(err instanceof AlertError)) throw err;
    }
    await deps.homePublisher.republish(client, [viewer.userId, alert.ownerId]);
  };
}
