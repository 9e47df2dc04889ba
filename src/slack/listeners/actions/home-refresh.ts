import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { syncCoordinatorFor } from '../../../domain/sync-coordinator';
import { ACTION_IDS } from '../../action-ids';
import { publishHome } from '../../home/publish-home';
import { canRead, resolveViewer } from '../../viewer';

/**
 * The Home "Refresh" button: republish now, then ask for a sync under the usual rules (a
 * run younger than a minute is reused) and republish if it changed anything.
 */
export function registerHomeRefresh(app: App, deps: AppDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.homeRefresh, async ({ ack, body, client }) => {
    await ack();
    const userId = body.user.id;
    try {
      const viewer = await resolveViewer(deps, client, userId);
      await publishHome(deps, client, viewer);
      if (!canRead(viewer) || !deps.production) return;
      const outcome = await syncCoordinatorFor(deps).requestSync({ trigger: 'home_opened' });
      if (outcome.changed) await publishHome(deps, client, viewer);
    } catch (err) {
      deps.logger.error({ err, user: userId }, 'Home refresh failed');
    }
  });
}
