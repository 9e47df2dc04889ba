import type { AppContext } from '../../../app-context';
import { resolveAdminNotice } from '../../../domain/admin-notices';
import { refusalFor, resolveViewer } from '../../viewer';
import type { ButtonListener } from '../types';

/** "Dismiss" on an admin notice on Home (admins only). */
export function adminNoticeResolve(deps: AppContext): ButtonListener {
  return async ({ ack, body, action, client }) => {
    await ack();
    const viewer = await resolveViewer(deps, client, body.user.id);
    if (refusalFor(viewer, 'admin')) return void deps.logger.warn({ userId: viewer.userId }, 'notice dismissal refused');
    await resolveAdminNotice(deps.db.prisma, Number(action.value), deps.clock.now());
    await deps.homePublisher.republish(client, [viewer.userId]);
  };
}
