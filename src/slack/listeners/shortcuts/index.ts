import type { App, MessageShortcut } from '@slack/bolt';
import type { AppContext } from '../../../app-context';
import { LOG_TO_CRM_SHORTCUT } from '../../views/action-ids';
import { logToCrmShortcut } from './log-to-crm';

export function registerShortcuts(app: App, deps: AppContext): void {
  app.shortcut<MessageShortcut>({ callback_id: LOG_TO_CRM_SHORTCUT, type: 'message_action' }, logToCrmShortcut(deps));
}
