import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../app-context';
import type { Job } from './scheduler';
import { getAllSettings } from '../domain/settings';
import { dueDigestPeriod } from '../domain/digest-schedule';
import { claimDigestRun, markDigestFailed, markDigestPosted } from '../domain/digest-runs';
import { digestFiguresFor, saveSnapshot, type DigestFigures } from '../domain/digest';
import { raiseAdminNotice } from '../domain/admin-notices';
import { slackErrorCode } from '../shared/slack-error-code';
import { buildDigestMessage } from '../slack/views/digest-message';
import { digestChannelProblem } from '../slack/views/admin-notices';
import { shareDigestPicture } from '../slack/files';
import { assertChannelNotShared } from '../slack/channel-sharing';

export type DigestRunOutcome = 'no_channel' | 'not_due' | 'claimed_elsewhere' | 'posted' | 'failed';

/**
 * Posts the digest when the configured schedule's period is due in its time zone, once per
 * period across instances (DigestRun claim with a lease). A failed post is retried later
 * within the catch-up window; a channel problem also leaves a notice for admins.
 */
export async function runDigestJob(deps: AppContext, client: WebClient): Promise<DigestRunOutcome> {
  const { prisma } = deps.db;
  const settings = await getAllSettings(prisma, deps.config);
  const channel = settings.digest_channel;
  if (!channel) return 'no_channel';
  const now = deps.clock.now();
  const period = dueDigestPeriod(settings.digest_schedule, now);
  if (!period) return 'not_due';
  const claimed = await claimDigestRun(prisma, { periodKey: period.periodKey, channel, holder: deps.instanceId, now });
  if (!claimed) return 'claimed_elsewhere';

  let posted: { figures: DigestFigures; channelId: string };
  try {
    const [figures, homeUrl] = await Promise.all([digestFiguresFor(prisma, settings, period, now), deps.appHomeUrl.get(client)]);
    const options = { stageLabels: settings.stage_labels, timeZone: settings.digest_schedule.timeZone, homeUrl, preview: false };
    const message = buildDigestMessage(figures, options);
    // A channel shared since an admin chose it gets no customer data (a notice tells admins).
    await assertChannelNotShared(client, channel);
    const res = await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false });
    await markDigestPosted(prisma, period.periodKey, deps.instanceId, deps.clock.now(), res.ts ?? null);
    deps.logger.info({ periodKey: period.periodKey, channel }, 'digest posted');
    // Posted is posted: a lost baseline only makes the next digest's changes read "since" an older one.
    await saveSnapshot(prisma, figures, period.periodKey).catch((err: unknown) => deps.logger.warn({ err }, 'could not save the digest snapshot'));
    posted = { figures, channelId: res.channel ?? channel };
  } catch (err) {
    const code = slackErrorCode(err) ?? (err as Error).message;
    deps.logger.error({ err, periodKey: period.periodKey, channel }, 'digest could not be posted');
    await markDigestFailed(prisma, period.periodKey, deps.instanceId, code, deps.clock.now());
    if (digestChannelProblem(code)) {
      const notice = { kind: 'digest_not_posted', frequency: period.periodKey.split(':')[0]!, channelId: channel, error: code } as const;
      // One notice per problem is enough: retries of the same period must not pile them up.
      await raiseAdminNotice(prisma, notice, deps.clock.now(), { onlyOnce: true });
    }
    return 'failed';
  }
  // Outside the try: whatever happens to the picture, the posted text is never marked failed and re-sent.
  const chart = { stageLabels: settings.stage_labels, timeZone: settings.digest_schedule.timeZone };
  await shareDigestPicture(deps, client, { figures: posted.figures, chart, to: { channelId: posted.channelId } });
  return 'posted';
}

export const digestJob: Job = {
  name: 'digest',
  schedule: '* * * * *',
  run: async (deps, client) => {
    await runDigestJob(deps, client);
  },
};
