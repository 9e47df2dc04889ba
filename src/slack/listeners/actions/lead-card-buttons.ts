import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { ACTION_IDS } from '../../action-ids';
import { actionOrigin, runLeadVerb, type LeadVerb } from '../../lead-interactions';
import { resolveViewer } from '../../viewer';

/** The lead card's buttons, each a verb on the lead whose id is the button's value. */
export const LEAD_CARD_BUTTONS: Record<string, LeadVerb> = {
  [ACTION_IDS.openStageModal]: 'stage',
  [ACTION_IDS.openNoteModal]: 'note',
  [ACTION_IDS.openContactModal]: 'contact',
  [ACTION_IDS.openOwnerModal]: 'owner',
  [ACTION_IDS.assignToMe]: 'assign',
  [ACTION_IDS.viewOrders]: 'orders',
  [ACTION_IDS.openFollowUpModal]: 'follow_up',
};

export function registerLeadCardButtons(app: App, deps: AppDeps): void {
  for (const [actionId, verb] of Object.entries(LEAD_CARD_BUTTONS)) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      const leadId = Number(action.value);
      if (!Number.isInteger(leadId)) return void deps.logger.warn({ actionId, value: action.value }, 'lead button without a lead id');
      const viewer = await resolveViewer(deps, client, body.user.id);
      await runLeadVerb(deps, client, viewer, actionOrigin(body), verb, leadId);
    });
  }
}
