// Follow-up delivery benchmark: 10,000 follow-ups fall due in the same minute and two app
// instances (own connection pools and Slack clients) deliver them together from one
// database to the fake Slack. Prints time to deliver all, duplicates and peak RSS; once with
// every owner's guest status to look up in Slack (users.info each), once with it cached.
// Run: npx tsx bench/follow-ups.bench.ts [sqlite|postgres]   (or npm run bench -- follow-ups)
import { randomUUID } from 'node:crypto';
import { LogLevel, WebClient } from '@slack/web-api';
import { ManualClock } from '../src/clock';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import { migrateDatabase } from '../src/db/migrate';
import type { AppDeps } from '../src/deps';
import { DEFAULT_FOLLOW_UP_DELIVERY, type FollowUpDeliveryOptions, followUpJob } from '../src/jobs/follow-up-job';
import { createLogger } from '../src/logger';
import { tempPostgresUrl, tempSqliteUrl } from '../test/support/databases';
import { startFakeSlack } from '../test/support/fake-slack';
import { runWhenMain } from './support/run-directly';

type Row = Record<string, string | number>;

const FOLLOW_UPS = 10_000;
const LEADS = 1_000;
const DUE = new Date('2026-03-02T09:00:00Z');

/** Pacing lifted for the fake (no workspace limit): what the code itself can do. */
const BENCH_DELIVERY: FollowUpDeliveryOptions = {
  ...DEFAULT_FOLLOW_UP_DELIVERY,
  concurrency: 32,
  maxPerSecond: 5_000,
  batchSize: 500,
};

function deps(url: string, clock: ManualClock): AppDeps {
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-bench',
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

async function seed(d: AppDeps, ownersCached: boolean): Promise<void> {
  const { prisma } = d.db;
  const customers = Array.from({ length: LEADS }, (_, i) => ({
    customerId: `B${i}`,
    name: `Bench Customer ${i}`,
    markets: 'AE',
    orderCount: 1,
    lifetimeUsdCents: BigInt(i * 100),
    searchText: `bench customer ${i} b${i}`,
  }));
  await prisma.customerFigures.createMany({ data: customers });
  await prisma.lead.createMany({ data: customers.map((c) => ({ customerId: c.customerId, stage: 'negotiation' })) });
  const leadIds = (await prisma.lead.findMany({ select: { id: true } })).map((l) => l.id);
  // Follow-ups go only to roster members who can change leads (checked at send).
  for (let start = 0; start < FOLLOW_UPS; start += 1000) {
    const ids = Array.from(
      { length: Math.min(1000, FOLLOW_UPS - start) },
      (_, k) => `U${String(start + k).padStart(8, '0')}`,
    );
    await prisma.rosterMember.createMany({
      data: ids.map((userId) => ({ userId, role: 'account_manager', addedBy: 'bench' })),
    });
  }
  if (ownersCached) {
    // Their guest status fetched within the hour (e.g. they opened Home): no users.info at send.
    const fetchedAt = d.clock.now();
    for (let start = 0; start < FOLLOW_UPS; start += 1000) {
      const ids = Array.from(
        { length: Math.min(1000, FOLLOW_UPS - start) },
        (_, k) => `U${String(start + k).padStart(8, '0')}`,
      );
      await prisma.slackUserCache.createMany({ data: ids.map((userId) => ({ userId, tz: 'UTC', fetchedAt })) });
    }
  }
  for (let start = 0; start < FOLLOW_UPS; start += 1000) {
    await prisma.followUpAlert.createMany({
      data: Array.from({ length: Math.min(1000, FOLLOW_UPS - start) }, (_, k) => {
        const i = start + k;
        // One owner per follow-up, so a duplicate shows as a second DM to the same user.
        return {
          leadId: leadIds[i % leadIds.length]!,
          ownerId: `U${String(i).padStart(8, '0')}`,
          message: `Follow up #${i}`,
          kind: 'every_weeks',
          interval: 1,
          timeOfDay: '09:00',
          timeZone: 'UTC',
          startDate: '2026-03-02',
          nextDueAt: DUE,
          createdBy: 'UBENCH',
        };
      }),
    });
  }
}

async function runOnce(provider: 'sqlite' | 'postgres', ownersCached: boolean): Promise<Row> {
  const slack = await startFakeSlack();
  const target = provider === 'sqlite' ? tempSqliteUrl() : tempPostgresUrl();
  await migrateDatabase(target.url);
  const clock = new ManualClock(new Date(DUE.getTime() + 20_000));
  const a = deps(target.url, clock);
  const b = deps(target.url, clock);
  const client = () =>
    new WebClient('xoxb-bench', {
      slackApiUrl: slack.apiUrl,
      logLevel: LogLevel.ERROR,
      retryConfig: { retries: 5, factor: 2, minTimeout: 200, maxTimeout: 5000 },
    });
  try {
    await seed(a, ownersCached);
    for (let i = 0; i < FOLLOW_UPS; i += 1) slack.addUser({ id: `U${String(i).padStart(8, '0')}`, tz: 'UTC' });
    const job = followUpJob(BENCH_DELIVERY);
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
    const started = performance.now();
    await Promise.all([job.run(a, client()), job.run(b, client())]);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const dms = slack.callsTo('chat.postMessage');
    const recipients = new Set(dms.map((c) => c.args.channel));
    const byInstance = await Promise.all(
      [a, b].map((d) => d.db.prisma.alertDelivery.count({ where: { status: 'sent', claimedBy: d.instanceId } })),
    );
    const stillDue = await a.db.prisma.followUpAlert.count({ where: { nextDueAt: { lte: clock.now() } } });
    return {
      database: provider,
      followUps: FOLLOW_UPS,
      'owner status': ownersCached ? 'cached' : 'users.info each',
      delivered: recipients.size,
      duplicates: dms.length - recipients.size,
      'still due': stillDue,
      'split a/b': byInstance.join(' / '),
      'seconds to deliver all': Number(seconds.toFixed(2)),
      'DMs per second': Math.round(recipients.size / seconds),
      'peak RSS MB': Math.round(peakRss / 1024 / 1024),
      pacing: `${BENCH_DELIVERY.concurrency} in flight, ≤${BENCH_DELIVERY.maxPerSecond}/s per instance`,
    };
  } finally {
    await a.db.close();
    await b.db.close();
    await slack.close();
    await target.cleanup();
  }
}

/** At the production default pacing, how long a burst takes (computed, not run: it is the cap). */
function defaultPacingRow(): Row {
  const perInstance = DEFAULT_FOLLOW_UP_DELIVERY.maxPerSecond;
  return {
    database: '(default pacing)',
    followUps: FOLLOW_UPS,
    pacing: `${DEFAULT_FOLLOW_UP_DELIVERY.concurrency} in flight, ≤${perInstance}/s per instance`,
    'seconds to deliver all': Math.ceil(FOLLOW_UPS / (2 * perInstance)),
    'DMs per second': 2 * perInstance,
  };
}

export async function runFollowUpsBench(providers: ('sqlite' | 'postgres')[] = ['sqlite', 'postgres']): Promise<Row[]> {
  const rows: Row[] = [];
  for (const p of providers) {
    rows.push(await runOnce(p, false));
    rows.push(await runOnce(p, true));
  }
  rows.push(defaultPacingRow());
  return rows;
}

runWhenMain(module, () => {
  const arg = process.argv[2];
  return runFollowUpsBench(arg === 'sqlite' || arg === 'postgres' ? [arg] : undefined);
});
