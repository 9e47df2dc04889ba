import type { WebClient } from '@slack/web-api';
import type { CheckResult } from '../common/doctor-report';
import type { BotIdentity } from './check-slack-token';
import { describeSlackFailure, slackFailureOf, UNREACHABLE_FIX } from './slack-errors';

const TITLE = 'Digest channel';
const CHOOSE_ANOTHER = 'choose another on the Home tab: Admin → Digest channel → Change';

/**
 * The digest channel chosen in the Admin section: does it exist, is the bot in it (else
 * every digest fails with not_in_channel), and is it shared outside the company (the
 * digest shows customer names and figures)?
 */
export async function checkDigestChannel(
  client: WebClient,
  channelId: string | null,
  bot: BotIdentity | null,
): Promise<CheckResult> {
  if (!channelId)
    return {
      id: 'digest_channel',
      title: TITLE,
      status: 'skip',
      finding: 'none chosen, so no digest is posted (an admin can choose one on the Home tab: Admin → Digest channel)',
    };
  const invite = `/invite @${bot?.name ?? 'CRM'}`;
  let channel: ChannelFacts;
  try {
    const res = await client.conversations.info({ channel: channelId });
    channel = (res.channel ?? {}) as ChannelFacts;
  } catch (err) {
    const failure = slackFailureOf(err);
    if (failure.kind === 'unreachable') return fail(describeSlackFailure(failure), UNREACHABLE_FIX);
    if (failure.kind === 'platform' && failure.error === 'channel_not_found') {
      return fail(
        `channel ${channelId} was not found: deleted, or private without the bot in it`,
        `If it is a private channel, type ${invite} in it; otherwise ${CHOOSE_ANOTHER}.`,
      );
    }
    if (failure.kind === 'platform' && failure.error === 'missing_scope') {
      const scope = failure.needed ?? 'channels:read / groups:read';
      return fail(
        `the bot may not look up the channel: missing scope ${scope}`,
        `Add ${scope} under OAuth & Permissions → Scopes → Bot Token Scopes, then reinstall the app.`,
      );
    }
    return fail(
      `conversations.info failed: ${describeSlackFailure(failure)}`,
      'Run the doctor again; if it persists, check https://slack-status.com.',
    );
  }

  const name = channel.name ? `#${channel.name}` : channelId;
  const problems: string[] = [];
  const fixes: string[] = [];
  let status: CheckResult['status'] = 'ok';
  if (channel.is_archived) {
    status = 'fail';
    problems.push(`${name} is archived`);
    fixes.push(`Unarchive it or ${CHOOSE_ANOTHER}.`);
  } else if (channel.is_member === false) {
    status = 'fail';
    problems.push(`the bot is not a member of ${name}, so digests cannot be posted there`);
    fixes.push(`Type ${invite} in ${name}.`);
  }
  const sharing = sharedWith(channel);
  if (sharing) {
    if (status === 'ok') status = 'warn';
    problems.push(`${name} is shared with ${sharing}: they would read the digest's customer names and figures`);
    fixes.push(`Unless that is intended, ${CHOOSE_ANOTHER} (an internal one).`);
  }
  if (status === 'ok')
    return {
      id: 'digest_channel',
      title: TITLE,
      status,
      finding: `${name}: the bot is a member, the channel is internal`,
    };
  return { id: 'digest_channel', title: TITLE, status, finding: problems.join('; '), fix: fixes.join(' ') };
}

interface ChannelFacts {
  name?: string;
  is_member?: boolean;
  is_archived?: boolean;
  is_shared?: boolean;
  is_ext_shared?: boolean;
  is_pending_ext_shared?: boolean;
  is_org_shared?: boolean;
}

/** Who else sees the channel, worded; null for an internal channel. */
function sharedWith(c: ChannelFacts): string | null {
  if (c.is_ext_shared || c.is_pending_ext_shared) return 'another organisation (Slack Connect)';
  if (c.is_org_shared) return 'other workspaces of your organisation';
  if (c.is_shared) return 'another workspace';
  return null;
}

function fail(finding: string, fix: string): CheckResult {
  return { id: 'digest_channel', title: TITLE, status: 'fail', finding, fix };
}
