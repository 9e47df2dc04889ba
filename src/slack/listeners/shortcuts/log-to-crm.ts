import type { AppContext } from '../../../app-context';
import { refusalFor, viewerForAction } from '../../viewer';
import { buildLogToCrmModal } from '../../views/log-to-crm-modal';
import { decodeSlackText } from '../../views/slack-text';
import { type InteractionOrigin, openModal, tellUser } from '../../web-api/reply';
import type { MessageShortcutListener } from '../listener-types';

/**
 * Message shortcut "Log to CRM": a modal to pick a lead, with the message text as the note.
 * Slack sends the message's text encoded (`&amp;`, mentions as `<@U…|name>`): the note is
 * prefilled with what was written, people, channels and links kept as Slack markup so the
 * saved note shows them as mentions and links again.
 */
export function logToCrmShortcut(deps: AppContext): MessageShortcutListener {
  return async ({ ack, shortcut, client }) => {
    await ack();
    const origin: InteractionOrigin = { userId: shortcut.user.id, triggerId: shortcut.trigger_id };
    const viewer = await viewerForAction(deps, client, origin);
    const refusal = refusalFor(viewer, 'edit');
    if (refusal) {
      deps.logger.info({ userId: shortcut.user.id }, 'Log to CRM refused');
      return tellUser(deps, client, origin, refusal, 'Not allowed');
    }
    const text = typeof shortcut.message.text === 'string' ? decodeSlackText(shortcut.message.text, 'note') : '';
    await openModal(
      client,
      origin,
      buildLogToCrmModal({
        text,
        channelId: shortcut.channel.id,
        messageTs: shortcut.message_ts ?? shortcut.message.ts,
      }),
    );
  };
}
