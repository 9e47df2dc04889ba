import type { App, MessageShortcut } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { LOG_TO_CRM_SHORTCUT } from '../../action-ids';
import { tellUser } from '../../lead-interactions';
import { buildLogToCrmModal } from '../../views/lead-modals';
import { refusalFor, resolveViewer } from '../../viewer';

/** Message shortcut "Log to CRM": a modal to pick a lead, with the message text as the note. */
export function registerLogToCrmShortcut(app: App, deps: AppDeps): void {
  app.shortcut<MessageShortcut>({ callback_id: LOG_TO_CRM_SHORTCUT, type: 'message_action' }, async ({ ack, shortcut, client }) => {
    await ack();
    const origin = { userId: shortcut.user.id, triggerId: shortcut.trigger_id, responseUrl: shortcut.response_url };
    const viewer = await resolveViewer(deps, client, shortcut.user.id);
    const refusal = refusalFor(viewer, 'edit');
    if (refusal) {
      deps.logger.info({ userId: shortcut.user.id }, 'Log to CRM refused');
      return tellUser(deps, client, { userId: origin.userId, triggerId: origin.triggerId }, refusal, 'Not allowed');
    }
    const text = typeof shortcut.message.text === 'string' ? shortcut.message.text : '';
    await client.views.open({
      trigger_id: shortcut.trigger_id,
      view: buildLogToCrmModal({ text, channelId: shortcut.channel.id, messageTs: shortcut.message_ts ?? shortcut.message.ts }),
    });
  });
}
