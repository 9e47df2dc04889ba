import { randomUUID } from 'node:crypto';
import { LogLevel, WebClient } from '@slack/web-api';
import type { ManualClock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import { type CrmPrisma, openDatabase } from '../../src/db/client';
import type { AppDeps } from '../../src/deps';
import { createFollowUp } from '../../src/domain/follow-ups/follow-ups';
import type { FollowUpSchedule } from '../../src/domain/follow-ups/schedule';
import { nextOccurrenceAfter } from '../../src/domain/follow-ups/schedule';
import { createLogger } from '../../src/logger';
import type { FakeSlack } from './fake-slack';

/** One app instance's dependencies on a shared database URL (its own connection pool). */
export function instanceDeps(url: string, clock: ManualClock): AppDeps {
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 's',
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
  });
  return {
    config,
    db: openDatabase(url),
    production: null,
    clock,
    logger: createLogger('silent'),
    instanceId: randomUUID(),
  };
}

/** A WebClient pointed at the fake Slack, retrying like the app's (or not at all). */
export function slackClient(slack: FakeSlack, retries = 5): WebClient {
  return new WebClient('xoxb-test', {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries, factor: 2, minTimeout: 50, maxTimeout: 2000 },
    logLevel: LogLevel.ERROR,
  });
}

let customerSeq = 0;
export async function seedLead(
  prisma: CrmPrisma,
  name: string,
  extra: { stage?: string; lifetimeUsdCents?: bigint; unknownCurrencies?: string } = {},
): Promise<number> {
  const customerId = `C${(++customerSeq).toString().padStart(5, '0')}${randomUUID().slice(0, 4)}`;
  await prisma.customerFigures.create({
    data: {
      customerId,
      name,
      markets: 'AE',
      orderCount: 3,
      lifetimeUsdCents: extra.lifetimeUsdCents ?? 123_456n,
      unknownCurrencies: extra.unknownCurrencies ?? '',
      searchText: `${name.toLowerCase()} ${customerId.toLowerCase()}`,
    },
  });
  const lead = await prisma.lead.create({ data: { customerId, stage: extra.stage ?? 'negotiation' } });
  return lead.id;
}

export async function seedFollowUp(
  deps: AppDeps,
  leadId: number,
  ownerId: string,
  schedule: Partial<FollowUpSchedule> & { kind: string },
  message = 'Call about the trial order',
): Promise<number> {
  const full: FollowUpSchedule = {
    interval: null,
    weekday: null,
    dayOfMonth: null,
    timeOfDay: '09:00',
    timeZone: 'UTC',
    startDate: '2026-03-02',
    ...schedule,
  };
  const firstDueAt = nextOccurrenceAfter(full, deps.clock.now());
  if (!firstDueAt) throw new Error('schedule has no future occurrence');
  // Follow-ups go only to people on the roster who can change leads.
  await deps.db.prisma.rosterMember.upsert({
    where: { userId: ownerId },
    create: { userId: ownerId, role: 'account_manager', addedBy: 'test' },
    update: {},
  });
  const { id } = await createFollowUp(deps.db.prisma, deps.clock, {
    leadId,
    ownerId,
    createdBy: ownerId,
    message,
    schedule: full,
    firstDueAt,
  });
  return id;
}

/** Successful DMs per recipient. */
export function dmsTo(slack: FakeSlack, userId: string) {
  return slack.callsTo('chat.postMessage').filter((c) => c.args.channel === userId);
}

export function allText(blocks: any[]): string {
  return JSON.stringify(blocks);
}
