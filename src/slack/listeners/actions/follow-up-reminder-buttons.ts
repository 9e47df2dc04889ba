import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { ACTION_IDS } from '../../action-ids';
import { AlertError, markDeliveryDone, snoozeDelivery, type DeliveryAction } from '../../../domain/alerts/alerts';
import { getLeadCard } from '../../../domain/leads';
import { loadStageLabels } from '../../../domain/stages';
import { buildAlertMessage, type AlertMessageState } from '../../follow-ups/alert-message';
import { loadAlertMessageData } from '../../follow-ups/deliver-due-alerts';
import { republishFollowUpHomes } from '../../follow-ups/modal-flow';
import { buildLeadCard } from '../../views/lead-card';
import { canAdminister, canEdit, refusalFor, resolveViewer } from '../../viewer';

const RESOLVERS = {
  [ACTION_IDS.alertDone]: 'done',
  [ACTION_IDS.alertSnoozeDay]: 'day',
  [ACTION_IDS.alertSnoozeWeek]: 'week',
} as const;

/** Done / Snooze on a follow-up DM: update the alert, then that message in place. */
export function registerFollowUpReminderButtons(app: App, deps: AppDeps): void {
  for (const [actionId, what] of Object.entries(RESOLVERS)) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client, respond }) => {
      await ack();
      const deliveryId = Number(action.value);
      const tell = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text }).catch((err) => deps.logger.warn({ err }, 'could not answer a follow-up button'));
      if (!Number.isInteger(deliveryId)) return void deps.logger.warn({ actionId, value: action.value }, 'follow-up button without a delivery id');
      const viewer = await resolveViewer(deps, client, body.user.id);
      const { prisma } = deps.db;
      const actor = { userId: viewer.userId, isAdmin: canAdminister(viewer) };
      let result: DeliveryAction;
      try {
        result =
          what === 'done' ? await markDeliveryDone(prisma, deps.clock, deliveryId, actor) : await snoozeDelivery(prisma, deps.clock, deliveryId, what, actor);
      } catch (err) {
        if (err instanceof AlertError) return void (await tell(err.userMessage));
        throw err;
      }
      const data = await loadAlertMessageData(deps, result);
      const channel = result.channel ?? body.channel?.id;
      const ts = result.messageTs ?? body.message?.ts;
      if (data && channel && ts) {
        const state: AlertMessageState =
          what === 'done' ? { kind: 'done', by: viewer.userId, at: deps.clock.now() } : { kind: 'snoozed', by: viewer.userId, until: result.snoozedUntil! };
        await client.chat.update({ channel, ts, ...buildAlertMessage(data, state) });
      }
      await republishFollowUpHomes(deps, client, [result.ownerId]);
    });
  }

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.alertOpenLead, async ({ ack, body, action, client, respond }) => {
    await ack();
    const viewer = await resolveViewer(deps, client, body.user.id);
    const refusal = refusalFor(viewer, 'read');
    if (refusal) return void (await respond({ response_type: 'ephemeral', replace_original: false, text: refusal }));
    const leadId = Number(action.value);
    try {
      const [card, labels] = await Promise.all([getLeadCard(deps.db.prisma, leadId), loadStageLabels(deps.db.prisma)]);
      await respond({ response_type: 'ephemeral', replace_original: false, ...buildLeadCard(card, { labels, viewerId: viewer.userId, canEdit: canEdit(viewer) }) });
    } catch (err) {
      deps.logger.warn({ err, leadId }, 'could not open the lead from a follow-up');
      await respond({ response_type: 'ephemeral', replace_original: false, text: 'That lead could not be opened; it may have been removed.' });
    }
  });
}
