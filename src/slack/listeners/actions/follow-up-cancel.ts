import type { AppContext } from '../../../app-context';
import { cancelFollowUp, FollowUpError, getFollowUp, mayManageFollowUp } from '../../../domain/follow-ups/follow-ups';
import { canAdminister, refusalFor, resolveViewer } from '../../viewer';
import { buildFollowUpNoticeModal } from '../../views/follow-up-modal';
import type { ButtonListener } from '../listener-types';

/** "Cancel" under one of "My follow-ups" on Home: stops the follow-up, republishes the Homes it showed on. */
export function followUpCancel(deps: AppContext): ButtonListener {
  return async ({ ack, body, action, client }) => {
    await ack();
    const viewer = await resolveViewer(deps, client, body.user.id);
    const followUpId = Number(action.value);
    const followUp = Number.isInteger(followUpId) ? await getFollowUp(deps.db.prisma, followUpId) : null;
    const refusal =
      refusalFor(viewer, 'edit') ??
      (!followUp
        ? 'That follow-up no longer exists.'
        : !mayManageFollowUp(followUp, viewer.userId, canAdminister(viewer))
          ? 'Only the person reminded, the one who set the follow-up, or an admin can cancel it.'
          : null);
    if (refusal || !followUp) {
      deps.logger.info({ userId: viewer.userId, followUpId }, 'follow-up cancel refused');
      const view = buildFollowUpNoticeModal(refusal ?? 'That follow-up no longer exists.');
      await client.views.open({ trigger_id: body.trigger_id, view }).catch(() => undefined);
      return;
    }
    try {
      await cancelFollowUp(deps.db.prisma, deps.clock, followUpId, viewer.userId);
    } catch (err) {
      if (!(err instanceof FollowUpError)) throw err;
    }
    await deps.homePublisher.republish(client, [viewer.userId, followUp.ownerId]);
  };
}
