import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../app-context';
import { slackErrorCode } from '../common/slack-error-code';
import { raiseAdminNotice } from '../domain/admin-notices';
import { type DigestFigures, digestFiguresFor, saveSnapshot } from '../domain/digest-figures';
import { type DigestFailure, markDigestFailed, markDigestPosted, takeDigestRun } from '../domain/digest-runs';
import { dueDigestPeriod } from '../domain/digest-schedule';
import { getAllSettings } from '../domain/settings';
import { digestChannelProblem } from '../slack/views/admin-notice-text';
import { buildDigestMessage } from '../slack/views/digest-message';
import { assertChannelNotShared, CHANNEL_SHARED } from '../slack/web-api/channel-sharing';
import { shareDigestPicture } from '../slack/web-api/files';
import { RECORD_RETRY_DELAYS_MS } from './outcome-recorder';
import type { Job } from './scheduler';
import { findPostedMessage, type PostMetadata, type PostResult, postingClient, postOnce } from './slack-post';

export type DigestRunOutcome = 'no_channel' | 'not_due' | 'claimed_elsewhere' | 'posted' | 'failed';

/** The metadata every digest carries, so an instance taking over can find a post whose recording was lost. */
export const DIGEST_EVENT_TYPE = 'crm_digest';

export function digestMetadata(periodKey: string): PostMetadata {
  return { event_type: DIGEST_EVENT_TYPE, event_payload: { period_key: periodKey } };
}

export interface DigestJobOptions {
  /** Waits before each retry of recording a posted digest (the post itself is never repeated). */
  recordRetryDelaysMs?: readonly number[];
}

/**
 * Posts the digest when the configured schedule's period is due in its time zone, once per
 * period across instances (DigestRun claim with a lease). Once Slack has accepted the post
 * only its recording is retried; a post whose outcome is unknown (lost answer, crash) is
 * looked for in the channel by its metadata before anyone posts again. A refused post is
 * retried later within the catch-up window; a channel problem also leaves a notice for admins.
 */
export async function runDigestJob(
  deps: AppContext,
  client: WebClient,
  options: DigestJobOptions = {},
): Promise<DigestRunOutcome> {
  const retryDelays = options.recordRetryDelaysMs ?? RECORD_RETRY_DELAYS_MS;
  const { prisma } = deps.db;
  const settings = await getAllSettings(prisma, deps.config);
  const channel = settings.digest_channel;
  if (!channel) return 'no_channel';
  const now = deps.clock.now();
  const period = dueDigestPeriod(settings.digest_schedule, now);
  if (!period) return 'not_due';
  const held = await takeDigestRun(prisma, { periodKey: period.periodKey, channel, holder: deps.instanceId, now });
  if (!held) return 'claimed_elsewhere';
  const { periodKey } = period;
  const poster = postingClient(client);
  const metadata = digestMetadata(periodKey);
  const failed = async (error: string, failure: DigestFailure = {}): Promise<'failed'> => {
    await markDigestFailed(prisma, periodKey, deps.instanceId, error, deps.clock.now(), {
      checkFrom: held.checkFrom,
      ...failure,
    });
    return 'failed';
  };

  if (held.checkFrom) {
    let found: { ts: string } | null;
    try {
      found = await findPostedMessage(poster, channel, held.checkFrom, metadata);
    } catch (err) {
      deps.logger.warn({ err, periodKey, channel }, 'could not look for an earlier digest post; will try again');
      return failed(slackErrorCode(err) ?? 'could_not_check_channel', {
        retryAt: new Date(deps.clock.now().getTime() + 60_000),
      });
    }
    if (found) {
      deps.logger.info({ periodKey, channel }, 'digest already posted by an earlier attempt; recorded');
      await recordPosted(deps, periodKey, found.ts, retryDelays);
      return 'posted';
    }
  }

  let posted: { figures: DigestFigures; channelId: string };
  try {
    const [figures, homeUrl] = await Promise.all([
      digestFiguresFor(prisma, settings, period, now),
      deps.appHomeUrl.get(client),
    ]);
    const options = {
      stageLabels: settings.stage_labels,
      timeZone: settings.digest_schedule.timeZone,
      homeUrl,
      preview: false,
    };
    const message = buildDigestMessage(figures, options);
    // A channel shared since an admin chose it gets no customer data (a notice tells admins).
    const shared = await assertChannelNotShared(client, channel).then(
      () => null,
      (err: unknown) => (slackErrorCode(err) === CHANNEL_SHARED ? CHANNEL_SHARED : Promise.reject(err)),
    );
    const attemptAt = deps.clock.now();
    const result: PostResult = shared
      ? { kind: 'refused', error: shared }
      : await postOnce(poster, {
          channel,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
          metadata,
        });
    if (result.kind === 'posted') {
      await recordPosted(deps, periodKey, result.ts, retryDelays);
      deps.logger.info({ periodKey, channel }, 'digest posted');
      // Posted is posted: a lost baseline only makes the next digest's changes read "since" an older one.
      await saveSnapshot(prisma, figures, periodKey).catch((err: unknown) =>
        deps.logger.warn({ err }, 'could not save the digest snapshot'),
      );
      posted = { figures, channelId: result.channel || channel };
    } else if (result.kind === 'rate_limited') {
      deps.logger.warn({ periodKey, channel, retryAfterMs: result.retryAfterMs }, 'digest rate limited');
      return failed('ratelimited', { retryAt: new Date(deps.clock.now().getTime() + result.retryAfterMs) });
    } else if (result.kind === 'unknown') {
      deps.logger.warn(
        { periodKey, channel, error: result.error },
        'digest post outcome unknown; will look for it before posting again',
      );
      return failed(result.error, { retryAt: deps.clock.now(), mayHavePosted: attemptAt });
    } else {
      const code = result.error;
      deps.logger.error({ periodKey, channel, error: code }, 'digest could not be posted');
      await failed(code);
      if (digestChannelProblem(code)) {
        const notice = {
          kind: 'digest_not_posted',
          frequency: periodKey.split(':')[0]!,
          channelId: channel,
          error: code,
        } as const;
        // One notice per problem is enough: retries of the same period must not pile them up.
        await raiseAdminNotice(prisma, notice, deps.clock.now(), { onlyOnce: true });
      }
      return 'failed';
    }
  } catch (err) {
    // Before the post (figures, the Home link): nothing reached the channel.
    deps.logger.error({ err, periodKey, channel }, 'digest could not be prepared');
    return failed(slackErrorCode(err) ?? (err as Error).message);
  }
  // Outside the try: whatever happens to the picture, the posted text is never marked failed and re-sent.
  const chart = { stageLabels: settings.stage_labels, timeZone: settings.digest_schedule.timeZone };
  await shareDigestPicture(deps, client, { figures: posted.figures, chart, to: { channelId: posted.channelId } });
  return 'posted';
}

/**
 * Records a posted digest, retrying a failed write a few times. If it still fails the claim
 * keeps its claimedAt, so whoever takes the period over looks in the channel and finds it.
 */
async function recordPosted(
  deps: AppContext,
  periodKey: string,
  ts: string,
  retryDelays: readonly number[],
): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await markDigestPosted(deps.db.prisma, periodKey, deps.instanceId, deps.clock.now(), ts);
      return;
    } catch (err) {
      const delay = retryDelays[attempt];
      if (delay === undefined) {
        deps.logger.error(
          { err, periodKey },
          'could not record the posted digest; it will be found in the channel, not posted again',
        );
        return;
      }
      deps.logger.warn({ err, periodKey, attempt: attempt + 1 }, 'recording the posted digest failed; retrying');
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

export const digestJob: Job = {
  name: 'digest',
  schedule: '* * * * *',
  run: async (deps, client) => {
    await runDigestJob(deps, client);
  },
};
