import type { WebClient } from '@slack/web-api';

/** The sharing flags of a conversations.info channel. */
export interface ChannelSharing {
  is_ext_shared?: boolean;
  is_shared?: boolean;
  is_org_shared?: boolean;
  is_pending_ext_shared?: boolean;
}

/**
 * A channel shared beyond this workspace: Slack Connect (another organisation, or an invitation
 * to one pending), another workspace, or the whole org. The digest shows customer names and
 * figures, so it goes only to a channel no one outside the company can read.
 */
export function isSharedChannel(c: ChannelSharing | undefined): boolean {
  return Boolean(c?.is_ext_shared || c?.is_shared || c?.is_org_shared || c?.is_pending_ext_shared);
}

/** The error code a refused shared channel is recorded and reported under. */
export const CHANNEL_SHARED = 'channel_shared';

/** What the admin reads when choosing a shared channel. */
export const SHARED_CHANNEL_REFUSAL =
  'That channel is shared outside this workspace (Slack Connect or another workspace). The digest shows customer names and figures: choose a channel only your company can read.';

/**
 * Looks the channel up again right before a digest post; throws, shaped like a Slack platform
 * error with code `channel_shared`, when it has been shared since it was chosen.
 */
export async function assertChannelNotShared(client: WebClient, channel: string): Promise<void> {
  const info = await client.conversations.info({ channel });
  if (isSharedChannel(info.channel)) {
    throw Object.assign(new Error(`refused to post: channel ${channel} is shared outside the workspace`), {
      data: { ok: false, error: CHANNEL_SHARED },
    });
  }
}
