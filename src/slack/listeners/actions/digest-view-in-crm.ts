import type { AppContext } from '../../../app-context';
import type { ButtonListener } from '../listener-types';

/**
 * "View in CRM" on a digest. With the app's deep link the button opens Home itself; Slack
 * still sends the click, which must be acked. Republishing makes Home fresh when it opens.
 */
export function digestViewInCrm(deps: AppContext): ButtonListener {
  return async ({ ack, body, client }) => {
    await ack();
    try {
      await deps.homePublisher.publish(client, body.user.id);
    } catch (err) {
      deps.logger.warn({ err, userId: body.user.id }, 'could not refresh Home after "View in CRM"');
    }
  };
}
