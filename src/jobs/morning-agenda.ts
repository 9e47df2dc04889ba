import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../deps';
import {
  AGENDA_CLAIM_LEASE_MS,
  type AgendaOutcome,
  type ClaimedAgenda,
  claimAgendas,
  MAX_AGENDA_ATTEMPTS,
  recordAgendaOutcomes,
  renewAgendaClaims,
} from '../domain/agenda/agenda-delivery';
import { findDueAgendas } from '../domain/agenda/agenda-due';
import { getAllSettings } from '../domain/settings';
import { isTodayEmpty, loadToday } from '../domain/who-to-call';
import { AGENDA_TITLE, buildTodayMessage, TODAY_MESSAGE_MAX_BLOCKS } from '../slack/views/today-section';
import { type DmBatchReport, sendDmBatch } from './dm-batch';
import { ownerAccess } from './owner-access';
import type { Job } from './scheduler';
import type { Pacing } from './send-pacer';
import { POST_TIMEOUT_MS, type PostMetadata, postingClient } from './slack-post';

export interface AgendaDeliveryOptions extends Pacing {
  leaseMs: number;
  /** A 429 asking to wait longer than this ends the batch: its claims are released until then. */
  maxRateLimitWaitMs: number;
  postTimeoutMs: number;
  /** Lines per list in the DM. */
  perList: number;
  /** Waits before each retry of a failed outcome write (default RECORD_RETRY_DELAYS_MS). */
  recordRetryDelaysMs?: readonly number[];
}

/** As follow-up DMs: 10 a second with a few in flight stays under Slack's workspace posting limits. */
export const DEFAULT_AGENDA_DELIVERY: AgendaDeliveryOptions = {
  concurrency: 4,
  maxPerSecond: 10,
  leaseMs: AGENDA_CLAIM_LEASE_MS,
  maxRateLimitWaitMs: 30_000,
  postTimeoutMs: POST_TIMEOUT_MS,
  perList: 5,
};

/** The metadata every agenda DM carries, so a resend can first look for it in the DM. */
export const AGENDA_EVENT_TYPE = 'crm_morning_agenda';

export function agendaMetadata(claim: Pick<ClaimedAgenda, 'userId' | 'day'>): PostMetadata {
  return { event_type: AGENDA_EVENT_TYPE, event_payload: { user_id: claim.userId, day: claim.day } };
}

export interface AgendaReport extends DmBatchReport {
  claimed: number;
}

/**
 * One tick of the morning agenda: whose agenda is due (their time, their zone, a workday),
 * claimed once per person and day across instances, each built from "who to call today" in
 * its recipient's zone and sent by DM (skipped when empty), only to people who still have
 * access. The sending itself is the follow-up DMs' (jobs/dm-batch.ts).
 */
export async function deliverMorningAgendas(
  deps: AppDeps,
  client: WebClient,
  options: AgendaDeliveryOptions = DEFAULT_AGENDA_DELIVERY,
): Promise<AgendaReport> {
  const { prisma } = deps.db;
  const settings = await getAllSettings(prisma, deps.config);
  const now = deps.clock.now();
  const due = await findDueAgendas(prisma, settings.agenda_schedule, deps.config.CRM_TIMEZONE, now);
  const report: AgendaReport = { claimed: 0, sent: 0, retried: 0, skipped: 0, found: 0 };
  if (due.length === 0) return report;
  const claims = await claimAgendas(prisma, due, deps.instanceId, now, options.leaseMs);
  if (claims.length === 0) return report;
  report.claimed = claims.length;
  const access = await ownerAccess(
    deps,
    client,
    claims.map((c) => c.userId),
    options.concurrency,
  );
  const labels = settings.stage_labels;
  const sent = await sendDmBatch<ClaimedAgenda>(
    deps,
    postingClient(client, options.postTimeoutMs),
    { ...options, maxAttempts: MAX_AGENDA_ATTEMPTS },
    {
      what: 'morning agenda',
      claims,
      recipientOf: (claim) => claim.userId,
      metadataOf: agendaMetadata,
      access,
      async messageOf(claim, at) {
        const data = await loadToday(
          prisma,
          { userId: claim.userId, timeZone: claim.timeZone, team: false, mayTakeUnowned: true },
          at,
          { perOwner: options.perList, factors: settings.rhythm_factors },
        );
        if (isTodayEmpty(data)) return null;
        return buildTodayMessage(data, {
          viewerId: claim.userId,
          canEdit: true,
          labels,
          maxBlocks: TODAY_MESSAGE_MAX_BLOCKS,
          title: AGENDA_TITLE,
        });
      },
      logFields: (claim) => ({ agendaId: claim.deliveryId, userId: claim.userId, day: claim.day }),
      renew: (ids, at) => renewAgendaClaims(prisma, ids, deps.instanceId, at, options.leaseMs),
      record: (outcomes: AgendaOutcome[]) => recordAgendaOutcomes(prisma, outcomes, deps.instanceId, deps.clock.now()),
    },
  );
  Object.assign(report, sent);
  deps.logger.info({ ...report }, 'morning agendas delivered');
  return report;
}

/** Every minute: the morning agendas that fell due (exactly once per person and day across instances). */
export function morningAgendaJob(options: AgendaDeliveryOptions = DEFAULT_AGENDA_DELIVERY): Job<AppDeps> {
  return {
    name: 'morning-agenda',
    schedule: '* * * * *',
    async run(deps, client) {
      await deliverMorningAgendas(deps, client, options);
    },
  };
}
