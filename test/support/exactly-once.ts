/**
 * Fault-injection scenarios for the sending jobs, shared by the integration test and the
 * benchmark: two app instances (own pools, own Slack clients) on one SQLite file or
 * PostgreSQL schema, the fake Slack misbehaving, and at the end a count of what reached
 * Slack: sent (posts Slack accepted), delivered (distinct recipients / periods), lost,
 * duplicates.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { LogLevel, WebClient } from '@slack/web-api';
import type { AppContext } from '../../src/app-context';
import { type Clock, systemClock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import { type Database, openDatabase } from '../../src/db/client';
import type { AppDeps } from '../../src/deps';
import { DIGEST_CLAIM_LEASE_MS } from '../../src/domain/digest-runs';
import { updateSetting } from '../../src/domain/settings';
import { runDigestJob } from '../../src/jobs/digest-job';
import {
  DEFAULT_FOLLOW_UP_DELIVERY,
  deliverDueFollowUps,
  type FollowUpDeliveryOptions,
} from '../../src/jobs/follow-up-job';
import {
  type AgendaDeliveryOptions,
  DEFAULT_AGENDA_DELIVERY,
  deliverMorningAgendas,
} from '../../src/jobs/morning-agenda';
import { createLogger } from '../../src/logger';
import { createAppServices } from '../../src/services';
import { migratedDatabaseUrl, type Provider } from './databases';
import { type FakeSlack, startFakeSlack } from './fake-slack';
import { trackWait } from './pending-waits';

export type Scenario = 'ratelimit_storm' | 'db_refuses_outcome' | 'response_lost' | 'sigkill';
export const SCENARIOS: Scenario[] = ['ratelimit_storm', 'db_refuses_outcome', 'response_lost', 'sigkill'];

export interface Tally {
  job: 'follow-ups' | 'digest' | 'agenda';
  scenario: Scenario;
  database: Provider;
  /** Posts Slack accepted. */
  sent: number;
  delivered: number;
  lost: number;
  duplicates: number;
  /** Outcomes left unrecorded in the database at the end (should be 0). */
  unrecorded: number;
  killed: number;
}

/** Short enough that the faults outlast it; the jobs renew it while they work. */
export const TEST_LEASE_MS = 1_000;

/**
 * The jobs retry a failed outcome write three times (100, 500 and 2,000 ms apart in the app);
 * the scenarios keep the three retries with shorter waits, so a database that refuses every
 * write is given up on in a few milliseconds rather than 2.6 s a batch.
 */
export const FAULT_RECORD_RETRY_DELAYS_MS: readonly number[] = [5, 10, 20];

/** How long a scenario keeps ticking before it tallies. */
export interface ScenarioOptions {
  /**
   * Unset (the tests): until every send is recorded, however long that takes on a busy
   * machine (jest's timeout is the bound, and a test that runs out says what was missing).
   * Set (the benchmark): at most this long, then the tally counts what was lost.
   */
  deadlineMs?: number;
}

const ROOT = join(__dirname, '..', '..');

/** A clock running with real time, shifted by `offsetMs` (to play an instance whose lease view is later). */
export class OffsetClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

export function instance(
  url: string,
  slackApiUrl: string,
  clock: Clock = systemClock,
  db: Database = openDatabase(url),
): AppContext {
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-faults',
    SLACK_SIGNING_SECRET: 's',
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    SLACK_API_URL: slackApiUrl,
  });
  const base: AppDeps = {
    config,
    db,
    production: null,
    clock,
    logger: createLogger('silent'),
    instanceId: randomUUID(),
  };
  return { ...base, ...createAppServices(base) };
}

/** The app's own client settings: retries on, so a test shows the job does not let them resend. */
export function appClient(slack: FakeSlack): WebClient {
  return new WebClient('xoxb-faults', {
    slackApiUrl: slack.apiUrl,
    logLevel: LogLevel.ERROR,
    retryConfig: { retries: 5, factor: 2, minTimeout: 50, maxTimeout: 500 },
  });
}

/**
 * The same database, except that writes recording outcomes (the delivery transaction, a
 * digest marked posted) are refused `times` times: the database failing right after Slack
 * accepted a post. Patches the methods of this database's own client (the app's code sees the
 * client it opened, as it must for `withProviderClient`): pass a database opened for the purpose.
 */
export function refusingOutcomeWrites(
  db: Database,
  times = Number.POSITIVE_INFINITY,
): Database & { refused: () => number; heal: () => void } {
  let refused = 0;
  let healed = false;
  const refuse = () => {
    if (healed || refused >= times) return false;
    refused += 1;
    return true;
  };
  const prisma = db.prisma as unknown as {
    $transaction: (...args: unknown[]) => Promise<unknown>;
    digestRun: { updateMany: (args: { data?: { postedAt?: unknown } }) => Promise<unknown> };
  };
  const transaction = prisma.$transaction.bind(prisma);
  prisma.$transaction = async (...args) => {
    if (refuse()) throw new Error('database refused the write (injected)');
    return transaction(...args);
  };
  const updateMany = prisma.digestRun.updateMany.bind(prisma.digestRun);
  prisma.digestRun.updateMany = async (args) => {
    if (args.data?.postedAt && refuse()) throw new Error('database refused the write (injected)');
    return updateMany(args);
  };
  const heal = () => {
    healed = true;
  };
  return Object.assign(db, { refused: () => refused, heal });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `child-instance.ts` (one job against the shared database) in a process of its own. */
function startChild(args: string[]) {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(__dirname, 'child-instance.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ? null : code)),
  );
  return { child, exited, stderr: () => stderr };
}

// ---------------------------------------------------------------- follow-up DMs

export const FAULT_DELIVERY: FollowUpDeliveryOptions = {
  ...DEFAULT_FOLLOW_UP_DELIVERY,
  concurrency: 4,
  maxPerSecond: 200,
  batchSize: 15,
  leaseMs: TEST_LEASE_MS,
  postTimeoutMs: 5_000,
  recordRetryDelaysMs: FAULT_RECORD_RETRY_DELAYS_MS,
};

/**
 * Two app instances on one database, each with its own connection and Slack client. With
 * `db_refuses_outcome`, A's connection refuses outcome writes until `heal`. The connections
 * join `opened`, which the scenario closes.
 */
function twoInstances(
  scenario: Scenario,
  url: string,
  slack: FakeSlack,
  opened: Database[],
  clocks: [Clock, Clock] = [systemClock, systemClock],
) {
  const refusing = scenario === 'db_refuses_outcome' ? refusingOutcomeWrites(openDatabase(url)) : undefined;
  const dbA = refusing ?? openDatabase(url);
  const dbB = openDatabase(url);
  opened.push(dbA, dbB);
  return {
    a: instance(url, slack.apiUrl, clocks[0], dbA),
    b: instance(url, slack.apiUrl, clocks[1], dbB),
    clients: [appClient(slack), appClient(slack)] as const,
    heal: () => refusing?.heal(),
  };
}

async function seedDueFollowUps(db: Database, count: number): Promise<string[]> {
  const { prisma } = db;
  await prisma.customerFigures.create({
    data: {
      customerId: 'X1',
      name: 'Faulty Co',
      markets: 'AE',
      orderCount: 1,
      lifetimeUsdCents: 100n,
      searchText: 'faulty co',
    },
  });
  const lead = await prisma.lead.create({ data: { customerId: 'X1', stage: 'negotiation' } });
  const owners = Array.from({ length: count }, (_, i) => `U0FLT${String(i).padStart(4, '0')}`);
  await prisma.rosterMember.createMany({
    data: owners.map((userId) => ({ userId, role: 'account_manager', addedBy: 'test' })),
  });
  const due = new Date(Date.now() - 1_000);
  await prisma.followUpAlert.createMany({
    data: owners.map((ownerId) => ({
      leadId: lead.id,
      ownerId,
      message: 'Call them',
      kind: 'every_days',
      interval: 1,
      timeOfDay: '00:00',
      timeZone: 'UTC',
      startDate: '2026-01-01',
      nextDueAt: due,
      createdBy: ownerId,
    })),
  });
  return owners;
}

async function followUpTally(
  slack: FakeSlack,
  db: Database,
  owners: string[],
  scenario: Scenario,
  provider: Provider,
  killed: number,
): Promise<Tally> {
  let sent = 0;
  let delivered = 0;
  for (const o of owners) {
    const n = slack.messagesIn(o).length;
    sent += n;
    if (n > 0) delivered += 1;
  }
  const recorded = await db.prisma.alertDelivery.count({ where: { status: 'sent' } });
  return {
    job: 'follow-ups',
    scenario,
    database: provider,
    sent,
    delivered,
    lost: owners.length - delivered,
    duplicates: sent - delivered,
    unrecorded: delivered - recorded,
    killed,
  };
}

/**
 * Sets up one fault of the scenario before both instances tick: Slack refusing or losing
 * posts, instance A alone with a database refusing outcome writes (then healed), or a child
 * instance killed with SIGKILL a third of the way through. Returns how many were killed.
 */
async function injectFault(
  scenario: Scenario,
  slack: FakeSlack,
  count: number,
  job: { aloneFirst: () => Promise<unknown>; heal: () => void; child: string[] },
): Promise<number> {
  if (scenario === 'ratelimit_storm') {
    // Every post refused for longer than the lease, several times over.
    slack.rateLimit('chat.postMessage', Math.ceil((TEST_LEASE_MS * 2) / 1000), 6);
  } else if (scenario === 'response_lost') {
    slack.acceptThenFail('chat.postMessage', 'drop', 4);
    slack.acceptThenFail('chat.postMessage', 'http500', 4);
  } else if (scenario === 'db_refuses_outcome') {
    // Instance A alone first, its database refusing every outcome write (retries too): the
    // messages it sends go unrecorded, and must not be sent again once the database is back.
    await job.aloneFirst();
    job.heal();
  } else if (scenario === 'sigkill') {
    const run = startChild(job.child);
    await slack.waitFor(
      () => slack.callsTo('chat.postMessage').length >= Math.floor(count / 3),
      'the child to send a third',
    );
    run.child.kill('SIGKILL');
    await run.exited;
    return 1;
  }
  return 0;
}

/**
 * Ticks every instance (as the scheduler does each minute, here back to back) until `done`
 * counts `total` sends recorded; a short pause between rounds lets the leases of abandoned
 * claims run out. With no deadline, a scenario that never gets there stays pending and is
 * reported by what it was waiting for (pending-waits.ts).
 */
async function tickUntilRecorded(
  what: string,
  tick: () => Promise<unknown>,
  recorded: () => Promise<number>,
  total: number,
  options: ScenarioOptions,
): Promise<void> {
  const deadline = options.deadlineMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.deadlineMs;
  let seen = 0;
  let abandoned = false;
  const untrack = trackWait({
    describe: () => `${total} ${what} recorded as sent; ${seen} so far`,
    abandon: () => {
      abandoned = true;
    },
  });
  try {
    while (Date.now() < deadline && !abandoned) {
      await tick();
      seen = await recorded();
      if (seen >= total) return;
      await sleep(100);
    }
  } finally {
    untrack();
  }
}

export async function runFollowUpScenario(
  scenario: Scenario,
  provider: Provider,
  count = 30,
  options: ScenarioOptions = {},
): Promise<Tally> {
  const slack = await startFakeSlack();
  const target = await migratedDatabaseUrl(provider);
  const shared = openDatabase(target.url);
  const opened: Database[] = [shared];
  try {
    const owners = await seedDueFollowUps(shared, count);
    for (const id of owners) slack.addUser({ id });
    const { a, b, clients, heal } = twoInstances(scenario, target.url, slack, opened);
    const killed = await injectFault(scenario, slack, count, {
      aloneFirst: () => deliverDueFollowUps(a, clients[0], FAULT_DELIVERY),
      heal,
      child: [
        'follow-ups',
        target.url,
        slack.apiUrl,
        JSON.stringify({ ...FAULT_DELIVERY, maxPerSecond: 10, concurrency: 2 }),
      ],
    });
    await tickUntilRecorded(
      'follow-up DMs',
      () => Promise.all([a, b].map((d, i) => deliverDueFollowUps(d, clients[i]!, FAULT_DELIVERY))),
      () => shared.prisma.alertDelivery.count({ where: { status: 'sent' } }),
      count,
      options,
    );
    return await followUpTally(slack, shared, owners, scenario, provider, killed);
  } finally {
    for (const d of opened) await d.close().catch(() => {});
    await slack.close();
    await target.cleanup();
  }
}

// ---------------------------------------------------------------- digests

export const DIGEST_CHANNEL = 'C0FAULTS1';

async function configureDigest(d: AppContext, slack: FakeSlack): Promise<void> {
  slack.channels.set(DIGEST_CHANNEL, { id: DIGEST_CHANNEL, name: 'sales-digest' });
  slack.botChannels.add(DIGEST_CHANNEL);
  // Daily, a few minutes ago in UTC: due now, within the catch-up window.
  const t = new Date(Date.now() - 3 * 60_000);
  const time = `${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`;
  const { prisma } = d.db;
  await updateSetting(prisma, d.config, d.clock, 'UADMIN', 'digest_channel', DIGEST_CHANNEL);
  await updateSetting(prisma, d.config, d.clock, 'UADMIN', 'digest_schedule', {
    frequency: 'daily',
    weekday: 1,
    time,
    timeZone: 'UTC',
  });
}

async function digestTally(
  slack: FakeSlack,
  db: Database,
  scenario: Scenario,
  provider: Provider,
  killed: number,
): Promise<Tally> {
  const posts = slack.messagesIn(DIGEST_CHANNEL).filter((m) => m.metadata?.event_type === 'crm_digest');
  const periods = new Set(posts.map((m) => String(m.metadata!.event_payload.period_key)));
  const recorded = await db.prisma.digestRun.count({ where: { postedAt: { not: null } } });
  return {
    job: 'digest',
    scenario,
    database: provider,
    sent: posts.length,
    delivered: periods.size,
    lost: 1 - periods.size,
    duplicates: posts.length - periods.size,
    unrecorded: periods.size - recorded,
    killed,
  };
}

const DIGEST_FAULT_OPTIONS = { recordRetryDelaysMs: FAULT_RECORD_RETRY_DELAYS_MS };

export async function runDigestScenario(scenario: Scenario, provider: Provider): Promise<Tally> {
  const slack = await startFakeSlack();
  const target = await migratedDatabaseUrl(provider);
  const shared = openDatabase(target.url);
  const opened: Database[] = [shared];
  try {
    const clockA = new OffsetClock();
    const clockB = new OffsetClock();
    const { a, b, clients, heal } = twoInstances(scenario, target.url, slack, opened, [clockA, clockB]);
    await configureDigest(b, slack);
    const runA = () => runDigestJob(a, clients[0], DIGEST_FAULT_OPTIONS);
    const runB = () => runDigestJob(b, clients[1], DIGEST_FAULT_OPTIONS);
    let killed = 0;
    /** B, with its clock moved past the lease: a takeover of whatever A left. */
    const takeOver = async () => {
      clockB.offsetMs += DIGEST_CLAIM_LEASE_MS + 1_000;
      return runB();
    };
    if (scenario === 'ratelimit_storm') {
      // Retry-After longer than the claim lease, three times.
      slack.rateLimit('chat.postMessage', DIGEST_CLAIM_LEASE_MS / 1000 + 60, 3);
      await Promise.all([runA(), runB()]);
      for (let i = 0; i < 4; i += 1) {
        clockA.offsetMs += (DIGEST_CLAIM_LEASE_MS / 1000) * 1000 + 61_000;
        clockB.offsetMs = clockA.offsetMs;
        await Promise.all([runA(), runB()]);
      }
    } else if (scenario === 'response_lost') {
      slack.acceptThenFail('chat.postMessage', 'drop', 1);
      await runA();
      await Promise.all([runA(), runB()]);
      await takeOver();
    } else if (scenario === 'db_refuses_outcome') {
      await runA();
      heal();
      await takeOver();
    } else if (scenario === 'sigkill') {
      // The post reaches Slack, whose answer never comes; A is killed while waiting for it.
      slack.acceptThenFail('chat.postMessage', 'hold', 1);
      const run = startChild(['digest', target.url, slack.apiUrl]);
      await slack.waitFor(() => slack.messagesIn(DIGEST_CHANNEL).length >= 1, 'the child to post the digest');
      run.child.kill('SIGKILL');
      await run.exited;
      killed = 1;
      await takeOver();
    }
    // Whatever is left: both instances again, later still.
    clockA.offsetMs = clockB.offsetMs = Math.max(clockA.offsetMs, clockB.offsetMs) + DIGEST_CLAIM_LEASE_MS + 1_000;
    await Promise.all([runA(), runB()]);
    return await digestTally(slack, shared, scenario, provider, killed);
  } finally {
    for (const d of opened) await d.close().catch(() => {});
    await slack.close();
    await target.cleanup();
  }
}

// ---------------------------------------------------------------- morning agendas

export const FAULT_AGENDA: AgendaDeliveryOptions = {
  ...DEFAULT_AGENDA_DELIVERY,
  concurrency: 4,
  maxPerSecond: 200,
  leaseMs: TEST_LEASE_MS,
  postTimeoutMs: 5_000,
  recordRetryDelaysMs: FAULT_RECORD_RETRY_DELAYS_MS,
};

/**
 * `count` account managers whose agenda fell due a few minutes ago (UTC, every day), and one
 * unowned customer who ordered yesterday and was never contacted, so no agenda is empty.
 */
async function seedDueAgendas(d: AppContext, count: number): Promise<string[]> {
  const { prisma } = d.db;
  await prisma.customerFigures.create({
    data: {
      customerId: 'X1',
      name: 'Faulty Co',
      markets: 'AE',
      orderCount: 1,
      lifetimeUsdCents: 100n,
      lastOrderAt: new Date(Date.now() - 86_400_000),
      searchText: 'faulty co',
    },
  });
  await prisma.lead.create({ data: { customerId: 'X1' } });
  const people = Array.from({ length: count }, (_, i) => `U0AGD${String(i).padStart(4, '0')}`);
  await prisma.rosterMember.createMany({
    data: people.map((userId) => ({ userId, role: 'account_manager', addedBy: 'test' })),
  });
  const t = new Date(Date.now() - 3 * 60_000);
  const time = `${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`;
  await updateSetting(prisma, d.config, d.clock, 'UADMIN', 'agenda_schedule', {
    time,
    workdays: [1, 2, 3, 4, 5, 6, 7],
  });
  return people;
}

async function agendaTally(
  slack: FakeSlack,
  db: Database,
  people: string[],
  scenario: Scenario,
  provider: Provider,
  killed: number,
): Promise<Tally> {
  let sent = 0;
  let delivered = 0;
  for (const p of people) {
    const n = slack.messagesIn(p).filter((m) => m.metadata?.event_type === 'crm_morning_agenda').length;
    sent += n;
    if (n > 0) delivered += 1;
  }
  const recorded = await db.prisma.agendaDelivery.count({ where: { status: 'sent' } });
  return {
    job: 'agenda',
    scenario,
    database: provider,
    sent,
    delivered,
    lost: people.length - delivered,
    duplicates: sent - delivered,
    unrecorded: delivered - recorded,
    killed,
  };
}

export async function runAgendaScenario(
  scenario: Scenario,
  provider: Provider,
  count = 30,
  options: ScenarioOptions = {},
): Promise<Tally> {
  const slack = await startFakeSlack();
  const target = await migratedDatabaseUrl(provider);
  const shared = openDatabase(target.url);
  const opened: Database[] = [shared];
  try {
    const { a, b, clients, heal } = twoInstances(scenario, target.url, slack, opened);
    const people = await seedDueAgendas(b, count);
    for (const id of people) slack.addUser({ id, tz: 'UTC' });
    const killed = await injectFault(scenario, slack, count, {
      aloneFirst: () => deliverMorningAgendas(a, clients[0], FAULT_AGENDA),
      heal,
      child: [
        'agenda',
        target.url,
        slack.apiUrl,
        JSON.stringify({ ...FAULT_AGENDA, maxPerSecond: 10, concurrency: 2 }),
      ],
    });
    await tickUntilRecorded(
      'morning agendas',
      () => Promise.all([a, b].map((d, i) => deliverMorningAgendas(d, clients[i]!, FAULT_AGENDA))),
      () => shared.prisma.agendaDelivery.count({ where: { status: 'sent' } }),
      count,
      options,
    );
    return await agendaTally(slack, shared, people, scenario, provider, killed);
  } finally {
    for (const d of opened) await d.close().catch(() => {});
    await slack.close();
    await target.cleanup();
  }
}
