import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../deps';
import type { Job } from './scheduler';
import { getAllSettings } from '../domain/settings';
import { dueDigestPeriod } from '../domain/digest-schedule';
import { claimDigestRun, markDigestFailed, markDigestPosted } from '../domain/digest-runs';
import { saveSnapshot } from '../domain/digest';
import { composeDigest } from '../slack/digest-compose';

/** Slack errors that no retry fixes: an admin must act (invite the bot, pick another channel). */
const CHANNEL_PROBLEMS: Record<string, string> = {
  not_in_channel: 'the CRM app is not a member of that channel. Invite it there with `/invite @CRM`',
  channel_not_found: 'the channel was not found (deleted, or private without the CRM app). Invite the app with `/invite @CRM` or choose another channel',
  is_archived: 'the channel is archived. Choose another digest channel',
  restricted_action: 'posting there is restricted for apps. Choose another digest channel',
};

export type DigestRunOutcome = 'no_channel' | 'not_due' | 'claimed_elsewhere' | 'posted' | 'failed';

/**
 * Posts the digest when the configured schedule's period is due in its time zone, once per
 * period across instances (DigestRun claim with a lease). A failed post is retried later
 * within the catch-up window; a channel problem also leaves a notice for admins.
 */
export async function runDigestJob(deps: AppDeps, client: WebClient): Promise<DigestRunOutcome> {
  const { prisma } = deps.db;
  const settings = await getAllSettings(prisma, deps.config);
  const channel = settings.digest_channel;
  if (!channel) return 'no_channel';
  const now = deps.clock.now();
  const period = dueDigestPeriod(settings.digest_schedule, now);
  if (!period) return 'not_due';
  const claimed = await claimDigestRun(prisma, { periodKey: period.periodKey, channel, holder: deps.instanceId, now });
  if (!claimed) return 'claimed_elsewhere';

  try {
    const { figures, message } = await composeDigest(deps, client, period, { preview: false });
    const res = await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false });
    await markDigestPosted(prisma, period.periodKey, deps.instanceId, deps.clock.now(), res.ts ?? null);
    deps.logger.info({ periodKey: period.periodKey, channel }, 'digest posted');
    // Posted is posted: a lost baseline only makes the next digest's changes read "since" an older one.
    await saveSnapshot(prisma, figures, period.periodKey).catch((err: unknown) => deps.logger.warn({ err }, 'could not save the digest snapshot'));
    return 'posted';
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error ?? (err as Error).message;
    deps.logger.error({ err, periodKey: period.periodKey, channel }, 'digest could not be posted');
    await markDigestFailed(prisma, period.periodKey, deps.instanceId, code, deps.clock.now());
    const problem = CHANNEL_PROBLEMS[code];
    if (problem) {
      const text = `The ${period.periodKey.split(':')[0]} digest could not be posted to <#${channel}>: ${problem}.`;
      // One notice per problem is enough: retries of the same period must not pile them up.
      const open = await prisma.adminNotice.findFirst({ where: { text, resolvedAt: null } });
      if (!open) await prisma.adminNotice.create({ data: { text, createdAt: deps.clock.now() } });
    }
    return 'failed';
  }
}

export const digestJob: Job = {
  name: 'digest',
  schedule: '* * * * *',
  run: async (deps, client) => {
    await runDigestJob(deps, client);
  },
};
