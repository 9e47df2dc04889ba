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
import { sendDmBatch } from './dm-batch';
import { ownerAccess } from './owner-access';
import type { Job } from './scheduler';
import type { Pacing } from './send-pacer';
import { POST_TIMEOUT_MS, type PostMetadata, postingClient } from './slack-post';

export interface FollowUpDeliveryOptions extends Pacing {
  /** Occurrences claimed at a time. */
  batchSize: number;
  leaseMs: number;
  /** A 429 asking to wait longer than this ends the batch: its claims are released until then. */
  maxRateLimitWaitMs?: number;
  /** Timeout of one post (its outcome is unknown after it). */
  postTimeoutMs?: number;
  /** Waits before each retry of a failed outcome write (default RECORD_RETRY_DELAYS_MS). */
  recordRetryDelaysMs?: readonly number[];
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

export interface DeliveryReport {
  claimed: number;
  sent: number;
  retried: number;
  disabled: number;
  /** Found already in the DM (an earlier attempt's answer was lost): recorded, not sent again. */
  found: number;
}

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

    const sent = await sendDmBatch<ClaimedOccurrence>(
      deps,
      poster,
      { ...options, maxRateLimitWaitMs: maxWait, maxAttempts: MAX_DELIVERY_ATTEMPTS },
      {
        what: 'follow-up DM',
        claims,
        // Deleted with its lead meanwhile: nothing to send.
        recipientOf: (claim) => followUps.get(claim.followUpId)?.ownerId ?? null,
        metadataOf: followUpMetadata,
        access,
        messageOf: async (claim, now) =>
          buildFollowUpMessage(followUpMessageData(followUps.get(claim.followUpId)!, stageLabels, claim, now)),
        logFields: (claim) => ({ followUpId: claim.followUpId, occurrenceAt: claim.occurrenceAt }),
        renew: (ids, now) => renewClaims(prisma, ids, deps.instanceId, now, options.leaseMs),
        async record(outcomes) {
          const recorded = await recordOutcomes(
            deps.db,
            // A follow-up always has something to say: never skipped.
            outcomes.filter((o): o is DeliveryOutcome => o.kind !== 'skipped'),
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
      },
    );
    report.sent += sent.sent;
    report.retried += sent.retried;
    report.found += sent.found;
  }
  if (report.claimed) deps.logger.info({ ...report }, 'follow-ups delivered');
  return report;
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
