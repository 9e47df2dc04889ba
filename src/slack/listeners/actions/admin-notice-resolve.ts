import type { AppContext } from '../../../app-context';
import { resolveAdminNotice } from '../../../domain/admin-notices';
import { refusalFor, resolveViewer } from '../../viewer';
import { buildAdminMessageModal } from '../../views/admin-modals';
import type { ButtonListener } from '../listener-types';

/** "Dismiss" on an admin notice on Home (admins only; a demoted admin's stale Home is told why). */
export function adminNoticeResolve(deps: AppContext): ButtonListener {
  return async ({ ack, body, action, client }) => {
    await ack();
    const viewer = await resolveViewer(deps, client, body.user.id);
    const refusal = refusalFor(viewer, 'admin');
    if (refusal) {
      deps.logger.warn({ userId: viewer.userId }, 'notice dismissal refused');
      await client.views
        .open({ trigger_id: body.trigger_id, view: buildAdminMessageModal(refusal) })
        .catch((err) => deps.logger.warn({ err }, 'could not show the refusal'));
      return;
    }
    await resolveAdminNotice(deps.db.prisma, Number(action.value), deps.clock.now());
    await deps.homePublisher.republish(client, [viewer.userId]);
  };
}
