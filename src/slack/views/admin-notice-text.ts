import type { AdminNotice, MrkdwnAdminNotice } from '../../domain/admin-notices';
import { escapeMrkdwn } from './mrkdwn';

/** Slack errors of a digest post that no retry fixes, and what an admin should do about each. */
const DIGEST_CHANNEL_PROBLEMS: Readonly<Record<string, string>> = {
  not_in_channel: 'the CRM app is not a member of that channel. Invite it there with `/invite @CRM`',
  channel_not_found:
    'the channel was not found (deleted, or private without the CRM app). Invite the app with `/invite @CRM` or choose another channel',
  is_archived: 'the channel is archived. Choose another digest channel',
  restricted_action: 'posting there is restricted for apps. Choose another digest channel',
  channel_shared:
    'the channel is now shared outside this workspace (Slack Connect), and the digest shows customer data. Choose a channel only your company can read',
};

/** What an admin should do about a digest post's Slack error (mrkdwn), or null when a retry may fix it. */
export function digestChannelProblem(error: string): string | null {
  return Object.hasOwn(DIGEST_CHANNEL_PROBLEMS, error) ? DIGEST_CHANNEL_PROBLEMS[error]! : null;
}

const bold = (name: string) => `*${escapeMrkdwn(name)}*`;
const code = (text: string) => `\`${escapeMrkdwn(text)}\``;

/** A notice as admins read it (mrkdwn): names and errors escaped, user and channel ids as mentions. */
export function adminNoticeText(notice: AdminNotice | MrkdwnAdminNotice): string {
  switch (notice.kind) {
    case 'follow_up_failed':
      return `Follow-up for ${bold(notice.leadName)} (owner <@${notice.ownerId}>) disabled: Slack refused the reminder ${notice.attempts} times (${code(notice.error)}).`;
    case 'owner_unreachable': {
      const names = notice.leadNames.map(bold);
      const more = notice.count > names.length ? ` and ${notice.count - names.length} more` : '';
      const what =
        notice.count === 1 ? `Follow-up for ${names[0]}` : `${notice.count} follow-ups (${names.join(', ')}${more})`;
      return `${what} disabled: <@${notice.ownerId}> was deactivated or cannot receive messages (${code(notice.error)}). Reassign the leads and set new follow-ups.`;
    }
    case 'owner_no_access': {
      const names = notice.leadNames.map(bold);
      const more = notice.count > names.length ? ` and ${notice.count - names.length} more` : '';
      const what =
        notice.count === 1 ? `Follow-up for ${names[0]}` : `${notice.count} follow-ups (${names.join(', ')}${more})`;
      const why =
        notice.reason === 'guest'
          ? 'is a guest account'
          : notice.reason === 'read_only'
            ? 'can no longer change leads'
            : 'is no longer on the CRM roster';
      return `${what} paused: <@${notice.ownerId}> ${why}. Reassign the leads and set new follow-ups.`;
    }
    case 'digest_not_posted':
      return `The ${escapeMrkdwn(notice.frequency)} digest could not be posted to <#${notice.channelId}>: ${digestChannelProblem(notice.error) ?? `Slack answered ${code(notice.error)}`}.`;
    case 'backup_stale': {
      const since = notice.lastGoodAt ? `since ${notice.lastGoodAt.slice(0, 16).replace('T', ' ')} UTC` : 'yet';
      return `No good backup of the CRM database ${since} (one is due every ${notice.intervalHours} h). Check the app's logs and the free space of the backup folder.`;
    }
    case 'mrkdwn':
      return notice.text;
  }
}
