import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../../deps';
import { buildPlaceholderHome } from '../views/placeholder-home';

/**
 * Publishes the Home tab for one user from the CRM database (no Metabase wait).
 * Called on app_home_opened and after any change that the user or a lead's owner should see.
 */
export async function publishHome(_deps: AppDeps, client: WebClient, userId: string): Promise<void> {
  await client.views.publish({ user_id: userId, view: buildPlaceholderHome() });
}
