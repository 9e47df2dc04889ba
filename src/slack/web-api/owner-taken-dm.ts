import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../app-context';
import type { OwnerTakenNotice } from '../../domain/lead-ownership';
import { findPostedMessage, type PostMetadata, postingClient, postOnce } from '../../jobs/slack-post';
import { slackUserFacts } from '../viewer';
import { buildOwnerTakenMessage } from '../views/owner-taken-message';

/** Attempts at one DM: a 429 waits as Slack asks, an unanswered post is looked for before another. */
const ATTEMPTS = 3;
/** Longest wait after a 429 before giving up on this DM. */
const MAX_WAIT_MS = 30_000;

/**
 * Sends the previous owner their DM exactly once: the post carries the history row's id in
 * its metadata, is never retried blindly (no automatic retries), and after a post whose
 * outcome is unknown the DM channel is searched for it before posting again. A Slack guest
 * or a deactivated account gets nothing.
 */
export async function tellPreviousOwner(deps: AppContext, client: WebClient, notice: OwnerTakenNotice): Promise<void> {
  const { logger } = deps;
  const facts = await slackUserFacts(deps, client, notice.to);
  if (facts.guest || facts.deleted) return;
  const since = deps.clock.now();
  const metadata: PostMetadata = { event_type: 'crm_owner_changed', event_payload: { activity_id: notice.activityId } };
  const { text } = buildOwnerTakenMessage(notice);
  const channel = (await client.conversations.open({ users: notice.to })).channel?.id;
  if (!channel) throw new Error('Slack opened no DM channel');
  const poster = postingClient(client);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const result = await postOnce(poster, { channel, text, metadata });
    if (result.kind === 'posted') return;
    if (result.kind === 'refused') {
      logger.warn({ error: result.error, leadId: notice.leadId }, 'Slack refused the owner-change DM');
      return;
    }
    if (result.kind === 'rate_limited') {
      await new Promise((r) => setTimeout(r, Math.min(result.retryAfterMs, MAX_WAIT_MS)));
      continue;
    }
    // Unknown: it may have been posted. Post again only when it is not there.
    const found = await findPostedMessage(client, channel, since, metadata).catch(() => 'unknown' as const);
    if (found === 'unknown') break;
    if (found) return;
  }
  logger.error(
    { leadId: notice.leadId },
    'the owner-change DM to the previous owner may not have been sent (Slack did not answer)',
  );
}
