import { ErrorCode, type WebClient } from '@slack/web-api';
import type { AppDeps } from '../deps';
import type { Job } from './scheduler';
import {
  DEFAULT_CLAIM_LEASE_MS,
  MAX_DELIVERY_ATTEMPTS,
  claimOccurrences,
  findDueOccurrences,
  recordOutcomes,
  type AlertForOutcome,
  type ClaimedOccurrence,
  type DeliveryOutcome,
} from '../domain/alerts/delivery';
import { alertMessageData, loadAlertsWithLead } from '../domain/alerts/message-data';
import { loadStageLabels, type StageLabels } from '../domain/stages';
import { slackErrorCode } from '../shared/slack-error-code';
import { buildAlertMessage } from '../slack/views/alert-message';
import { forEachPaced, type Pacing } from './send-pacer';

export interface AlertDeliveryOptions extends Pacing {
  /** Occurrences claimed at a time; keep batchSize / maxPerSecond well under the lease. */
  batchSize: number;
  leaseMs: number;
}

/**
 * Slack's posting limits are per workspace ("several hundred messages per minute"), and
 * DMs go to many channels at once: 10 a second with a few in flight stays under them.
 * @slack/web-api still honours any 429 Retry-After on top of this.
 */
export const DEFAULT_ALERT_DELIVERY: AlertDeliveryOptions = { concurrency: 4, maxPerSecond: 10, batchSize: 100, leaseMs: DEFAULT_CLAIM_LEASE_MS };

/** Slack errors meaning the owner cannot get DMs any more: retrying will not help. */
const UNREACHABLE_ERRORS = new Set(['channel_not_found', 'user_not_found', 'account_inactive', 'user_disabled', 'cannot_dm_bot', 'is_archived']);

export interface DeliveryReport {
  claimed: number;
  sent: number;
  retried: number;
  disabled: number;
}

function classify(err: unknown, claim: ClaimedOccurrence, now: Date): Exclude<DeliveryOutcome, { kind: 'sent' }> {
  const e = err as { code?: string; statusCode?: number; message?: string };
  if (e.code === ErrorCode.PlatformError) {
    const error = slackErrorCode(err) ?? 'unknown_error';
    if (UNREACHABLE_ERRORS.has(error)) return { kind: 'unreachable', claim, error };
    if (error !== 'ratelimited' && claim.attempts >= MAX_DELIVERY_ATTEMPTS) return { kind: 'failed', claim, error };
    return { kind: 'retry', claim, error, retryAt: now };
  }
  // HTTP 5xx, network errors, rate limits still failing after the client's retries: retry on a later tick.
  const error = e.statusCode ? `http_${e.statusCode}` : (e.code ?? e.message ?? 'unknown_error');
  return { kind: 'retry', claim, error: String(error), retryAt: now };
}

/**
 * One tick of follow-up delivery: claims due occurrences a batch at a time, sends each as
 * a DM to its owner (paced), and records what happened. Safe to run on several instances
 * at once against one database: each occurrence is sent by exactly one of them.
 */
export async function deliverDueAlerts(deps: AppDeps, client: WebClient, options: AlertDeliveryOptions = DEFAULT_ALERT_DELIVERY): Promise<DeliveryReport> {
  const { prisma } = deps.db;
  const tickAt = deps.clock.now();
  const report: DeliveryReport = { claimed: 0, sent: 0, retried: 0, disabled: 0 };
  // Read once a tick has something to send: most minutes nothing is due.
  let labels: StageLabels | undefined;
  let cursor = 0;
  for (;;) {
    const due = await findDueOccurrences(prisma, tickAt, cursor, options.batchSize);
    if (due.length === 0) break;
    cursor = due[due.length - 1]!.alertId;
    const claims = await claimOccurrences(prisma, due, deps.instanceId, deps.clock.now(), options.leaseMs);
    if (claims.length === 0) continue;
    report.claimed += claims.length;
    const stageLabels = (labels ??= await loadStageLabels(prisma));
    const alerts = new Map((await loadAlertsWithLead(prisma, claims.map((c) => c.alertId))).map((a) => [a.id, a]));
    const outcomes: DeliveryOutcome[] = [];
    await forEachPaced(claims, options, async (claim) => {
      const alert = alerts.get(claim.alertId);
      if (!alert) return; // deleted with its lead meanwhile: nothing to send
      const now = deps.clock.now();
      try {
        const message = buildAlertMessage(alertMessageData(alert, stageLabels, claim, now));
        const res = await client.chat.postMessage({ channel: alert.ownerId, ...message, unfurl_links: false });
        outcomes.push({ kind: 'sent', claim, channel: String(res.channel ?? alert.ownerId), messageTs: String(res.ts ?? '') });
      } catch (err) {
        const outcome = classify(err, claim, now);
        const fields = { alertId: claim.alertId, occurrenceAt: claim.occurrenceAt, attempts: claim.attempts, outcome: outcome.kind, error: outcome.error };
        deps.logger.warn(fields, 'follow-up DM not sent');
        outcomes.push(outcome);
      }
    });
    const forOutcome = new Map<number, AlertForOutcome>([...alerts].map(([id, a]) => [id, { ...a, leadName: a.lead.customer.name }]));
    const recorded = await recordOutcomes(prisma, outcomes, forOutcome, deps.instanceId, deps.clock.now());
    report.sent += outcomes.filter((o) => o.kind === 'sent').length;
    report.retried += outcomes.filter((o) => o.kind === 'retry').length;
    report.disabled += recorded.disabledAlerts;
    if (recorded.notices) deps.logger.warn({ notices: recorded.notices, disabled: recorded.disabledAlerts }, 'follow-ups disabled; admins notified');
  }
  if (report.claimed) deps.logger.info({ ...report }, 'follow-up alerts delivered');
  return report;
}

/** Every minute: DM the owners of follow-ups that fell due (exactly once across instances). */
export function followUpAlertsJob(options: AlertDeliveryOptions = DEFAULT_ALERT_DELIVERY): Job<AppDeps> {
  return {
    name: 'follow-up-alerts',
    schedule: '* * * * *',
    async run(deps, client) {
      await deliverDueAlerts(deps, client, options);
    },
  };
}
