import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { syncCoordinatorFor } from '../../../domain/sync-coordinator';
import { publishHome } from '../../home/publish-home';
import { canRead, resolveViewer, type Viewer } from '../../viewer';

/**
 * A user opened the Home tab: publish at once from the CRM database, then run (or join) the
 * lead sync and publish again if it changed what the dashboard shows. Bolt has already
 * acknowledged the event, so nothing here holds Slack up; Metabase is never awaited before
 * the first publish.
 */
export function registerAppHomeOpened(app: App, deps: AppDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const userId = event.user;
    let viewer: Viewer | null = null;
    try {
      viewer = await resolveViewer(deps, client, userId);
      await publishHome(deps, client, viewer);
    } catch (err) {
      deps.logger.error({ err, user: userId }, 'publishing the Home tab failed');
    }
    // Only roster members' visits start a sync: a stranger opening the tab costs production nothing.
    if (!viewer || !canRead(viewer) || !deps.production) return;
    try {
      const outcome = await syncCoordinatorFor(deps).requestSync({ trigger: 'home_opened' });
      if (outcome.changed) await publishHome(deps, client, viewer);
    } catch (err) {
      deps.logger.error({ err, user: userId }, 'lead sync after app_home_opened failed');
    }
  });
}
