import type { AppContext } from '../../../app-context';
import { canRead, resolveViewer, type Viewer } from '../../viewer';
import type { AppHomeOpenedListener } from '../listener-types';

/**
 * A user opened the Home tab: publish at once from the CRM database, then run (or join) the
 * lead sync and publish again if it changed what the dashboard shows (and, while the sync is
 * the CRM's first, as it goes: import-progress-homes.ts). Bolt has already
 * acknowledged the event, so nothing here holds Slack up; Metabase is never awaited before
 * the first publish.
 */
export function appHomeOpened(deps: AppContext): AppHomeOpenedListener {
  return async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const userId = event.user;
    let viewer: Viewer | null = null;
    try {
      viewer = await resolveViewer(deps, client, userId);
      await deps.homePublisher.publish(client, viewer);
    } catch (err) {
      deps.logger.error({ err, user: userId }, 'publishing the Home tab failed');
    }
    // Only roster members' visits start a sync: a stranger opening the tab costs production nothing.
    if (!viewer || !canRead(viewer) || !deps.production) return;
    // Should the sync be the CRM's first (an import), this tab shows it as it goes.
    deps.importProgressHomes.watch(client, viewer);
    try {
      const outcome = await deps.syncCoordinator.requestSync({ trigger: 'home_opened' });
      if (outcome.changed) await deps.homePublisher.publish(client, viewer);
    } catch (err) {
      deps.logger.error({ err, user: userId }, 'lead sync after app_home_opened failed');
    } finally {
      deps.importProgressHomes.unwatch(userId);
    }
  };
}
