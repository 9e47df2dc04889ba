import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { CALLBACK_IDS } from '../../action-ids';
import { resolveViewer } from '../../viewer';
import { republishFollowUpHomes, saveFollowUpSubmission } from '../../follow-ups/modal-flow';

/** The follow-up modal: field errors answered in place; on success the Home tabs concerned are republished. */
export function registerFollowUpSubmission(app: App, deps: AppDeps): void {
  app.view(CALLBACK_IDS.followUp, async ({ ack, body, view, client }) => {
    const viewer = await resolveViewer(deps, client, body.user.id);
    let result;
    try {
      result = await saveFollowUpSubmission(deps, client, viewer, view);
    } catch (err) {
      deps.logger.error({ err, userId: viewer.userId }, 'saving a follow-up failed');
      return void (await ack({ response_action: 'errors', errors: { follow_up_message: 'Sorry, the follow-up could not be saved. It has been logged; try again.' } }));
    }
    if (!result.ok) return void (await ack({ response_action: 'errors', errors: result.errors }));
    await ack();
    deps.logger.info({ userId: viewer.userId, alertId: result.alertId, nextDueAt: result.nextDueAt }, 'follow-up saved');
    await republishFollowUpHomes(deps, client, [viewer.userId, result.ownerId]);
  });
}
