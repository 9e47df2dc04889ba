import type { AppContext } from '../../../app-context';
import { canRead, resolveViewer } from '../../viewer';
import type { ButtonListener } from '../listener-types';

/**
 * The Home "Refresh" button: republish now, then ask for a sync under the usual rules (a
 * run younger than a minute is reused) and republish if it changed anything.
 */
export function homeRefresh(deps: AppContext): ButtonListener {
  return async ({ ack, body, client }) => {
    await ack();
    const userId = body.user.id;
    try {
      const viewer = await resolveViewer(deps, client, userId);
      await deps.homePublisher.publish(client, viewer);
      if (!canRead(viewer) || !deps.production) return;
      deps.importProgressHomes.watch(client, viewer);
      const outcome = await deps.syncCoordinator.requestSync({ trigger: 'home_opened' });
      if (outcome.changed) await deps.homePublisher.publish(client, viewer);
    } catch (err) {
      deps.logger.error({ err, user: userId }, 'Home refresh failed');
    } finally {
      deps.importProgressHomes.unwatch(userId);
    }
  };
}
