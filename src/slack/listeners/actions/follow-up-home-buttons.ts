import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { ACTION_IDS } from '../../action-ids';
import { AlertError, cancelAlert, mayManageAlert } from '../../../domain/alerts/alerts';
import { resolveAdminNotice } from '../../../domain/admin-notices';
import { openEditFollowUpModal, republishFollowUpHomes } from '../../follow-ups/modal-flow';
import { buildFollowUpNoticeModal } from '../../views/follow-up-modal';
import { canAdminister, refusalFor, resolveViewer } from '../../viewer';

/** "My follow-ups" on the Home tab: Edit opens the modal, Cancel stops the alert; admins dismiss notices. */
export function registerFollowUpHomeButtons(app: App, deps: AppDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.alertEdit, async ({ ack, body, action, client }) => {
    await ack();
    const viewer = await resolveViewer(deps, client, body.user.id);
    await openEditFollowUpModal(deps, client, { triggerId: body.trigger_id, viewer, alertId: Number(action.value) });
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.alertCancel, async ({ ack, body, action, client }) => {
    await ack();
    const viewer = await resolveViewer(deps, client, body.user.id);
    const alertId = Number(action.value);
    const alert = Number.isInteger(alertId) ? await deps.db.prisma.followUpAlert.findUnique({ where: { id: alertId } }) : null;
    const refusal =
      refusalFor(viewer, 'edit') ??
      (!alert ? 'That follow-up no longer exists.' : !mayManageAlert(alert, viewer.userId, canAdminister(viewer)) ? 'Only the person reminded, the one who set the follow-up, or an admin can cancel it.' : null);
    if (refusal || !alert) {
      deps.logger.info({ userId: viewer.userId, alertId }, 'follow-up cancel refused');
      await client.views.open({ trigger_id: body.trigger_id, view: buildFollowUpNoticeModal(refusal ?? 'That follow-up no longer exists.') }).catch(() => undefined);
      return;
    }
    try {
      await cancelAlert(deps.db.prisma, deps.clock, alertId, viewer.userId);
    } catch (err) {
      if (!(err instanceof AlertError)) throw err;
    }
    await republishFollowUpHomes(deps, client, [viewer.userId, alert.ownerId]);
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.adminNoticeResolve, async ({ ack, body, action, client }) => {
    await ack();
    const viewer = await resolveViewer(deps, client, body.user.id);
    if (refusalFor(viewer, 'admin')) return void deps.logger.warn({ userId: viewer.userId }, 'notice dismissal refused');
    await resolveAdminNotice(deps.db.prisma, Number(action.value), deps.clock.now());
    await republishFollowUpHomes(deps, client, [viewer.userId]);
  });
}
