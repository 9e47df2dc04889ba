import type { AppContext } from '../../../app-context';
import { tellUser } from '../../reply';
import { refusalFor, resolveViewer } from '../../viewer';
import { buildLogToCrmModal } from '../../views/lead-modals';
import type { MessageShortcutListener } from '../types';

/** Message shortcut "Log to CRM": a modal to pick a lead, with the message text as the note. */
export function logToCrmShortcut(deps: AppContext): MessageShortcutListener {
  return async ({ ack, shortcut, client }) => {
    await ack();
    const viewer = await resolveViewer(deps, client, shortcut.user.id);
    const refusal = refusalFor(viewer, 'edit');
    if (refusal) {
      deps.logger.info({ userId: shortcut.user.id }, 'Log to CRM refused');
      return tellUser(deps, client, { userId: shortcut.user.id, triggerId: shortcut.trigger_id }, refusal, 'Not allowed');
    }
    const text = typeof shortcut.message.text === 'string' ? shortcut.message.text : '';
    await client.views.open({
      trigger_id: shortcut.trigger_id,
      view: buildLogToCrmModal({ text, channelId: shortcut.channel.id, messageTs: shortcut.message_ts ?? shortcut.message.ts }),
    });
  };
}
