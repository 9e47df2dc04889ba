import type { WebClient } from '@slack/web-api';
import type { StageLabels } from '../common/stages';
import type { AppDeps } from '../deps';
import {
  type ClaimedOccurrence,
  claimOccurrences,
  DEFAULT_CLAIM_LEASE_MS,
  type DeliveryOutcome,
  type FollowUpForOutcome,
  findDueOccurrences,
  MAX_DELIVERY_ATTEMPTS,
  recordOutcomes,
  renewClaims,
} from '../domain/follow-ups/delivery';
import { followUpMessageData, loadFollowUpsWithLead } from '../domain/follow-ups/message-data';
import { loadStageLabels } from '../domain/settings';
import { buildFollowUpMessage } from '../slack/views/follow-up-message';
import { LeaseKeeper } from './lease-keeper';
import { OutcomeRecorder } from './outcome-recorder';
import { ownerAccess } from './owner-access';
import type { Job } from './scheduler';
import { forEachPaced, type Pacing } from './send-pacer';
import { findPostedMessage, POST_TIMEOUT_MS, type PostMetadata, postingClient, postOnce } from './slack-post';

export interface FollowUpDeliveryOptions extends Pacing {
  /** Occurrences claimed at a time. */
  batchSize: number;
  leaseMs: number;
  /** A 429 asking to wait longer than this ends the batch: its claims are released until then. */
  maxRateLimitWaitMs?: number;
  /** Timeout of one post (its outcome is unknown after it). */
  postTimeoutMs?: number;
}

/**
 * Slack's posting limits are per workspace ("several hundred messages per minute"), and
 * DMs go to many channels at once: 10 a second with a few in flight stays under them.
 * A 429 pauses every send of the batch for its Retry-After.
 */
export const DEFAULT_FOLLOW_UP_DELIVERY: FollowUpDeliveryOptions = {
  concurrency: 4,
  maxPerSecond: 10,
  batchSize: 100,
  leaseMs: DEFAULT_CLAIM_LEASE_MS,
  maxRateLimitWaitMs: 30_000,
  postTimeoutMs: POST_TIMEOUT_MS,
};

/** The metadata every follow-up DM carries, so a resend can first look for it in the DM. */
export const FOLLOW_UP_EVENT_TYPE = 'crm_follow_up';

export function followUpMetadata(claim: Pick<ClaimedOccurrence, 'followUpId' | 'occurrenceAt'>): PostMetadata {
  return {
    event_type: FOLLOW_UP_EVENT_TYPE,
    event_payload: { alert_id: claim.followUpId, occurrence_at: claim.occurrenceAt.toISOString() },
  };
}

/** Slack errors meaning the owner cannot get DMs any more: retrying will not help. */
const UNREACHABLE_ERRORS = new Set([
  'channel_not_found',
  'user_not_found',
  'account_inactive',
  'user_disabled',
  'cannot_dm_bot',
  'is_archived',
]);

export interface DeliveryReport {
  claimed: number;
  sent: number;
  retried: number;
  disabled: number;
  /** Found already in the DM (an earlier attempt's answer was lost): recorded, not sent again. */
  found: number;
}

function refused(error: string, claim: ClaimedOccurrence, now: Date): Exclude<DeliveryOutcome, { kind: 'sent' }> {
  if (UNREACHABLE_ERRORS.has(error)) return { kind: 'unreachable', claim, error };
  if (claim.attempts >= MAX_DELIVERY_ATTEMPTS) return { kind: 'failed', claim, error };
  return { kind: 'retry', claim, error, retryAt: now };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One tick of follow-up delivery: claims due occurrences a batch at a time, sends each as
 * a DM to its owner (paced), and records each send as soon as Slack accepts it (sends
 * accepted while a record is being written go together in the next one). Safe to
 * run on several instances at once against one database: each occurrence is sent by one
 * of them, and a post whose outcome is unknown is looked for in the DM before any resend.
 */
export async function deliverDueFollowUps(
  deps: AppDeps,
  client: WebClient,
  options: FollowUpDeliveryOptions = DEFAULT_FOLLOW_UP_DELIVERY,
): Promise<DeliveryReport> {
  const { prisma } = deps.db;
  const tickAt = deps.clock.now();
  const report: DeliveryReport = { claimed: 0, sent: 0, retried: 0, disabled: 0, found: 0 };
  const poster = postingClient(client, options.postTimeoutMs ?? POST_TIMEOUT_MS);
  const maxWait = options.maxRateLimitWaitMs ?? DEFAULT_FOLLOW_UP_DELIVERY.maxRateLimitWaitMs!;
  // Read once a tick has something to send: most minutes nothing is due.
  let labels: StageLabels | undefined;
  let cursor = 0;
  for (;;) {
    const due = await findDueOccurrences(prisma, tickAt, cursor, options.batchSize);
    if (due.length === 0) break;
    cursor = due[due.length - 1]!.followUpId;
    const claims = await claimOccurrences(prisma, due, deps.instanceId, deps.clock.now(), options.leaseMs);
    if (claims.length === 0) continue;
    report.claimed += claims.length;
    labels ??= await loadStageLabels(prisma);
    const stageLabels = labels;
    const followUps = new Map(
      (
        await loadFollowUpsWithLead(
          prisma,
          claims.map((c) => c.followUpId),
        )
      ).map((a) => [a.id, a]),
    );
    const access = await ownerAccess(
      deps,
      client,
      [...followUps.values()].map((a) => a.ownerId),
      options.concurrency,
    );
    const forOutcome = new Map<number, FollowUpForOutcome>(
      [...followUps].map(([id, a]) => [id, { ...a, leadName: a.lead.customer.name }]),
    );

    const lease = new LeaseKeeper(
      {
        leaseMs: options.leaseMs,
        clock: deps.clock,
        logger: deps.logger,
        renew: (ids, now) => renewClaims(prisma, ids, deps.instanceId, now, options.leaseMs),
      },
      claims.map((c) => c.deliveryId),
    ).start();
    const recorder = new OutcomeRecorder<DeliveryOutcome>(
      async (outcomes) => {
        const recorded = await recordOutcomes(
          prisma,
          deps.db.provider,
          outcomes,
          forOutcome,
          deps.instanceId,
          deps.clock.now(),
        );
        report.disabled += recorded.disabledFollowUps;
        if (recorded.notices)
          deps.logger.warn(
            { notices: recorded.notices, disabled: recorded.disabledFollowUps },
            'follow-ups disabled; admins notified',
          );
      },
      deps.logger,
      (outcomes) => {
        for (const o of outcomes) lease.done(o.claim.deliveryId);
      },
    );
    const finish = (o: DeliveryOutcome) => {
      if (o.kind === 'sent') report.sent += 1;
      if (o.kind === 'retry') report.retried += 1;
      recorder.push(o);
    };
    // A 429 pauses the whole batch (Slack's limit is the workspace's, not one DM's).
    let pausedUntil = 0;
    let releaseAt: Date | null = null;

    await forEachPaced(claims, options, async (claim) => {
      const followUp = followUps.get(claim.followUpId);
      if (!followUp) return; // deleted with its lead meanwhile: nothing to send
      const metadata = followUpMetadata(claim);
      const allowed = access.get(followUp.ownerId);
      if (allowed?.ok === false) {
        deps.logger.info(
          { followUpId: claim.followUpId, reason: allowed.reason },
          'follow-up owner has no access; paused',
        );
        return finish({ kind: 'no_access', claim, error: allowed.reason });
      }
      if (allowed?.ok === 'unknown')
        return finish({ kind: 'retry', claim, error: 'owner_status_unknown', retryAt: deps.clock.now() });
      for (;;) {
        if (releaseAt) return finish({ kind: 'retry', claim, error: 'ratelimited', retryAt: releaseAt });
        const wait = pausedUntil - Date.now();
        if (wait > 0) await sleep(wait);
        // Someone else may hold it now: leave it (their claim decides), nothing was posted.
        if (!lease.held()) return;
        const now = deps.clock.now();
        if (claim.checkFrom) {
          const where = await lookForDm(deps, poster, followUp.ownerId, claim.checkFrom, metadata);
          if (where === 'unknown') return finish({ kind: 'retry', claim, error: 'could_not_check_dm', retryAt: now });
          if (where) {
            report.found += 1;
            return finish({ kind: 'sent', claim, channel: where.channel, messageTs: where.ts });
          }
        }
        const message = buildFollowUpMessage(followUpMessageData(followUp, stageLabels, claim, now));
        const result = await postOnce(poster, { channel: followUp.ownerId, ...message, unfurl_links: false, metadata });
        if (result.kind === 'posted')
          return finish({ kind: 'sent', claim, channel: result.channel, messageTs: result.ts });
        const fields = {
          followUpId: claim.followUpId,
          occurrenceAt: claim.occurrenceAt,
          attempts: claim.attempts,
          result: result.kind,
        };
        if (result.kind === 'rate_limited') {
          deps.logger.warn({ ...fields, retryAfterMs: result.retryAfterMs }, 'follow-up DM rate limited');
          pausedUntil = Math.max(pausedUntil, Date.now() + result.retryAfterMs);
          if (result.retryAfterMs > maxWait) releaseAt ??= new Date(deps.clock.now().getTime() + result.retryAfterMs);
          continue; // nothing was posted: the same DM again after the pause
        }
        if (result.kind === 'unknown') {
          deps.logger.warn(
            { ...fields, error: result.error },
            'follow-up DM outcome unknown; will look for it before sending again',
          );
          return finish({ kind: 'retry', claim, error: result.error, retryAt: now, mayHavePosted: now });
        }
        const outcome = refused(result.error, claim, now);
        deps.logger.warn({ ...fields, outcome: outcome.kind, error: result.error }, 'follow-up DM not sent');
        return finish(outcome);
      }
    });
    await recorder.drain();
    await lease.stop();
  }
  if (report.claimed) deps.logger.info({ ...report }, 'follow-ups delivered');
  return report;
}

/** Where the DM of an earlier attempt is, null if it is not there, 'unknown' if Slack could not be asked. */
async function lookForDm(
  deps: AppDeps,
  client: WebClient,
  ownerId: string,
  since: Date,
  metadata: PostMetadata,
): Promise<{ channel: string; ts: string } | null | 'unknown'> {
  try {
    const opened = await client.conversations.open({ users: ownerId });
    const channel = opened.channel?.id;
    if (!channel) return 'unknown';
    return await findPostedMessage(client, channel, since, metadata);
  } catch (err) {
    deps.logger.warn({ err, ownerId }, 'could not look for an earlier follow-up DM');
    return 'unknown';
  }
}

/** Every minute: DM the owners of follow-ups that fell due (exactly once across instances). */
export function followUpJob(options: FollowUpDeliveryOptions = DEFAULT_FOLLOW_UP_DELIVERY): Job<AppDeps> {
  return {
    name: 'follow-ups',
    schedule: '* * * * *',
    async run(deps, client) {
      await deliverDueFollowUps(deps, client, options);
    },
  };
}
