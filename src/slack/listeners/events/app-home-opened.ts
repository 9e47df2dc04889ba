import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { buildPlaceholderHome } from '../../views/placeholder-home';

/** Publishes the Home tab when a user opens it. */
export function registerAppHomeOpened(app: App, deps: AppDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await client.views.publish({ user_id: event.user, view: buildPlaceholderHome() });
    deps.logger.debug({ user: event.user }, 'home published');
  });
}
