import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../deps';
import type { NoAccessReason } from '../domain/follow-ups/pause-follow-ups';
import { LeaseKeeper } from './lease-keeper';
import { OutcomeRecorder } from './outcome-recorder';
import type { OwnerAccess } from './owner-access';
import { forEachPaced, type Pacing } from './send-pacer';
import { findPostedMessage, type PostMetadata, postOnce } from './slack-post';

/**
 * Sends a batch of claimed DMs exactly once: the part every sending job shares (follow-up
 * DMs, the morning agenda). The claims are the job's own rows (unique per recipient and
 * occurrence, taken with a lease); this keeps them leased while the batch works, paces the
 * posts, pauses the whole batch on a 429 (Slack's limit is the workspace's), looks in the
 * DM before posting again where an earlier attempt may have reached Slack, and hands each
 * outcome to the job's recorder as soon as it is known.
 */

/** One claimed DM, as the job's claim statement returns it. */
export interface DmClaim {
  deliveryId: number;
  /** 1 on the first claim; more when re-claimed after a failed or abandoned attempt. */
  attempts: number;
  /** Set when an earlier attempt may have reached Slack: look for the DM from this time before posting. */
  checkFrom: Date | null;
}

/** What became of one claimed DM. */
export type DmOutcome<C extends DmClaim> =
  | { kind: 'sent'; claim: C; channel: string; messageTs: string }
  /**
   * A fault that may pass (5xx, network, rate limit): claimable again from `retryAt`.
   * `mayHavePosted` is when an attempt whose outcome is unknown began (lost answer, timeout).
   */
  | { kind: 'retry'; claim: C; error: string; retryAt: Date; mayHavePosted?: Date }
  /** The recipient cannot receive DMs any more (deactivated, not found). */
  | { kind: 'unreachable'; claim: C; error: string }
  /** The recipient may not receive it (not on the roster, read-only, a guest): nothing sent. */
  | { kind: 'no_access'; claim: C; error: NoAccessReason }
  /** Failed for a reason that will not pass by itself. */
  | { kind: 'failed'; claim: C; error: string }
  /** Nothing to say (an empty agenda): nothing sent, and nothing to send later. */
  | { kind: 'skipped'; claim: C };

export interface DmBatchOptions extends Pacing {
  leaseMs: number;
  /** A 429 asking to wait longer than this ends the batch: its claims are released until then. */
  maxRateLimitWaitMs: number;
  /** Refusals for an unexpected reason this many times give up (`failed`). */
  maxAttempts: number;
  /** Waits before each retry of a failed outcome write (default RECORD_RETRY_DELAYS_MS). */
  recordRetryDelaysMs?: readonly number[];
}

/** A DM's content: the notification text and its blocks. */
export interface DmMessage {
  text: string;
  blocks?: KnownBlock[];
}

export interface DmBatch<C extends DmClaim> {
  /** For the logs: "follow-up DM", "morning agenda". */
  what: string;
  claims: C[];
  /** Who gets it; null when there is nothing to send any more (e.g. deleted with its lead). */
  recipientOf(claim: C): string | null;
  metadataOf(claim: C): PostMetadata;
  /** May each recipient receive it now (see ownerAccess). */
  access: ReadonlyMap<string, OwnerAccess>;
  /** The message to post now; null: nothing to say (the claim ends `skipped`). */
  messageOf(claim: C, now: Date): Promise<DmMessage | null>;
  /** What identifies the claim in a log line (never personal data). */
  logFields(claim: C): Record<string, unknown>;
  renew(deliveryIds: number[], now: Date): Promise<number>;
  /** Records outcomes (in one transaction); retried a few times by the recorder. */
  record(outcomes: DmOutcome<C>[]): Promise<void>;
}

export interface DmBatchReport {
  sent: number;
  retried: number;
  skipped: number;
  /** Found already in the DM (an earlier attempt's answer was lost): recorded, not sent again. */
  found: number;
}

/** Slack errors meaning the recipient cannot get DMs any more: retrying will not help. */
const UNREACHABLE_ERRORS = new Set([
  'channel_not_found',
  'user_not_found',
  'account_inactive',
  'user_disabled',
  'cannot_dm_bot',
  'is_archived',
]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Where the DM of an earlier attempt is, null if it is not there, 'unknown' if Slack could not be asked. */
async function lookForDm(
  deps: AppDeps,
  client: WebClient,
  userId: string,
  since: Date,
  metadata: PostMetadata,
): Promise<{ channel: string; ts: string } | null | 'unknown'> {
  try {
    const opened = await client.conversations.open({ users: userId });
    const channel = opened.channel?.id;
    if (!channel) return 'unknown';
    return await findPostedMessage(client, channel, since, metadata);
  } catch (err) {
    deps.logger.warn({ err, userId }, 'could not look for an earlier DM');
    return 'unknown';
  }
}

/** Sends one batch of claims (see the module comment); resolves once every outcome is recorded or given up on. */
export async function sendDmBatch<C extends DmClaim>(
  deps: AppDeps,
  poster: WebClient,
  options: DmBatchOptions,
  batch: DmBatch<C>,
): Promise<DmBatchReport> {
  const report: DmBatchReport = { sent: 0, retried: 0, skipped: 0, found: 0 };
  const lease = new LeaseKeeper(
    { leaseMs: options.leaseMs, clock: deps.clock, logger: deps.logger, renew: batch.renew },
    batch.claims.map((c) => c.deliveryId),
  ).start();
  const recorder = new OutcomeRecorder<DmOutcome<C>>(
    (outcomes) => batch.record(outcomes),
    deps.logger,
    (outcomes) => {
      for (const o of outcomes) lease.done(o.claim.deliveryId);
    },
    options.recordRetryDelaysMs,
  );
  const finish = (o: DmOutcome<C>) => {
    if (o.kind === 'sent') report.sent += 1;
    if (o.kind === 'retry') report.retried += 1;
    if (o.kind === 'skipped') report.skipped += 1;
    recorder.push(o);
  };
  const refused = (error: string, claim: C, now: Date): DmOutcome<C> => {
    if (UNREACHABLE_ERRORS.has(error)) return { kind: 'unreachable', claim, error };
    if (claim.attempts >= options.maxAttempts) return { kind: 'failed', claim, error };
    return { kind: 'retry', claim, error, retryAt: now };
  };
  // A 429 pauses the whole batch (Slack's limit is the workspace's, not one DM's).
  let pausedUntil = 0;
  let releaseAt: Date | null = null;

  await forEachPaced(batch.claims, options, async (claim) => {
    const userId = batch.recipientOf(claim);
    if (userId === null) return;
    const metadata = batch.metadataOf(claim);
    const fields = { ...batch.logFields(claim), attempts: claim.attempts };
    const allowed = batch.access.get(userId);
    if (allowed?.ok === false) {
      deps.logger.info({ ...fields, reason: allowed.reason }, `${batch.what}: recipient has no access`);
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
        const where = await lookForDm(deps, poster, userId, claim.checkFrom, metadata);
        if (where === 'unknown') return finish({ kind: 'retry', claim, error: 'could_not_check_dm', retryAt: now });
        if (where) {
          report.found += 1;
          return finish({ kind: 'sent', claim, channel: where.channel, messageTs: where.ts });
        }
      }
      let message: DmMessage | null;
      try {
        message = await batch.messageOf(claim, now);
      } catch (err) {
        // Nothing was posted: the database or a builder failed; another tick tries again.
        deps.logger.error({ ...fields, err }, `${batch.what} could not be prepared`);
        return finish(refused('could_not_prepare', claim, now));
      }
      if (message === null) return finish({ kind: 'skipped', claim });
      const result = await postOnce(poster, { channel: userId, ...message, unfurl_links: false, metadata });
      if (result.kind === 'posted')
        return finish({ kind: 'sent', claim, channel: result.channel, messageTs: result.ts });
      if (result.kind === 'rate_limited') {
        deps.logger.warn({ ...fields, retryAfterMs: result.retryAfterMs }, `${batch.what} rate limited`);
        pausedUntil = Math.max(pausedUntil, Date.now() + result.retryAfterMs);
        if (result.retryAfterMs > options.maxRateLimitWaitMs)
          releaseAt ??= new Date(deps.clock.now().getTime() + result.retryAfterMs);
        continue; // nothing was posted: the same DM again after the pause
      }
      if (result.kind === 'unknown') {
        deps.logger.warn(
          { ...fields, error: result.error },
          `${batch.what} outcome unknown; will look for it before sending again`,
        );
        return finish({ kind: 'retry', claim, error: result.error, retryAt: now, mayHavePosted: now });
      }
      const outcome = refused(result.error, claim, now);
      deps.logger.warn({ ...fields, outcome: outcome.kind, error: result.error }, `${batch.what} not sent`);
      return finish(outcome);
    }
  });
  await recorder.drain();
  await lease.stop();
  return report;
}
