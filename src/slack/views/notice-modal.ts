import type { ModalView } from '@slack/types';
import { cutMrkdwn, truncate } from './mrkdwn';

/** A one-message modal: refusals and notices where there is no message to reply to (the Home tab). */
export function buildNoticeModal(title: string, text: string): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: truncate(title, 24), emoji: true },
    close: { type: 'plain_text', text: 'Close', emoji: true },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: cutMrkdwn(text, 3000) } }],
  };
}
