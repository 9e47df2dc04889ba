import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { ACTION_IDS } from '../../action-ids';
import { publishHome } from '../../home/publish-home';

/**
 * "View in CRM" on a digest. With the app's deep link the button opens Home itself; Slack
 * still sends the click, which must be acked. Republishing makes Home fresh when it opens.
 */
export function registerDigestViewInCrm(app: App, deps: AppDeps): void {
  app.action(ACTION_IDS.digestViewInCrm, async ({ ack, body, client }) => {
    await ack();
    try {
      await publishHome(deps, client, body.user.id);
    } catch (err) {
      deps.logger.warn({ err, userId: body.user.id }, 'could not refresh Home after "View in CRM"');
    }
  });
}
