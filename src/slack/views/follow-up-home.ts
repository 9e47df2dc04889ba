import type { KnownBlock } from '@slack/types';
import type { AdminNoticeItem } from '../../domain/admin-notices';
import type { FollowUpList } from '../../domain/follow-ups/listing';
import { ACTION_IDS } from './action-ids';
import { adminNoticeText } from './admin-notice-text';
import { slackDate } from './follow-up-message';
import { cutMrkdwn, escapeAndCut } from './mrkdwn';

/** Part of HOME_EXTRAS_BLOCK_BUDGET (shared with the admin section): 2 blocks per follow-up. */

/** "My follow-ups": overdue first, then upcoming, each with Edit and Cancel. At most 2 + 2×5 blocks. */
export function buildMyFollowUpsSection(list: FollowUpList): KnownBlock[] {
  const total = list.overdue + list.upcoming;
  const summary =
    total === 0
      ? 'none set'
      : [list.overdue ? `${list.overdue} overdue` : null, list.upcoming ? `${list.upcoming} upcoming` : null]
          .filter(Boolean)
          .join(', ');
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      block_id: 'follow_ups',
      text: {
        type: 'mrkdwn',
        text: `*My follow-ups* (${summary})${total === 0 ? '\nSet one from a lead’s menu or with `/crm remind <customer>`.' : ''}`,
      },
    },
  ];
  for (const item of list.items) {
    const when = item.at
      ? item.state === 'overdue'
        ? `:warning: *Overdue since ${slackDate(item.at, item.timeZone)}*`
        : `Next ${slackDate(item.at, item.timeZone)}`
      : '';
    blocks.push({
      type: 'section',
      block_id: `follow_up:${item.followUpId}`,
      text: {
        type: 'mrkdwn',
        text: cutMrkdwn(
          `*${escapeAndCut(item.leadName, 100)}*: ${escapeAndCut(item.message, 200)}\n${when} · ${escapeAndCut(item.scheduleText, 300)}`,
          3000,
        ),
      },
    });
    blocks.push({
      type: 'actions',
      block_id: `follow_up_actions:${item.followUpId}`,
      elements: [
        {
          type: 'button',
          action_id: ACTION_IDS.followUpEdit,
          text: { type: 'plain_text', text: 'Edit' },
          value: String(item.followUpId),
        },
        {
          type: 'button',
          action_id: ACTION_IDS.followUpCancel,
          style: 'danger',
          text: { type: 'plain_text', text: 'Cancel' },
          value: String(item.followUpId),
          confirm: {
            title: { type: 'plain_text', text: 'Cancel follow-up?' },
            text: {
              type: 'mrkdwn',
              text: `No more reminders for *${escapeAndCut(item.leadName, 100)}* from this follow-up.`,
            },
            confirm: { type: 'plain_text', text: 'Cancel it' },
            deny: { type: 'plain_text', text: 'Keep it' },
          },
        },
      ],
    });
  }
  const hidden = total - list.items.length;
  if (hidden > 0)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${hidden} more not shown.` }] });
  return blocks;
}

/** Problems admins must act on (e.g. follow-ups disabled because their owner left). At most 1 + 3 + 1 blocks. */
export function buildAdminNoticesSection(notices: AdminNoticeItem[], total: number): KnownBlock[] {
  if (total === 0) return [];
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      block_id: 'admin_notices',
      text: { type: 'mrkdwn', text: `:rotating_light: *Needs an admin* (${total})` },
    },
  ];
  for (const n of notices) {
    blocks.push({
      type: 'section',
      block_id: `admin_notice:${n.id}`,
      text: { type: 'mrkdwn', text: cutMrkdwn(adminNoticeText(n.notice), 3000) },
      accessory: {
        type: 'button',
        action_id: ACTION_IDS.adminNoticeResolve,
        text: { type: 'plain_text', text: 'Dismiss' },
        value: String(n.id),
      },
    });
  }
  if (total > notices.length)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${total - notices.length} older notices.` }],
    });
  return blocks;
}
