/**
 * Home tab and lead sync benchmark (issue 4). Runs the real app over HTTP against the fake
 * Slack and the fake Metabase (through the real Metabase client) on a temporary SQLite file:
 *
 * (a) first views.publish after app_home_opened, 5,000 and 50,000 leads, Metabase answering
 *     in 200 ms and a sync due on every open: p50/p95 from request to publish
 *     (targets p95 < 150 ms at 5k, < 400 ms at 50k);
 * (b) a sync creating 10,000 new leads (< 3 s) and a no-change sync of 50,000 customers (< 5 s),
 *     both including the Metabase export read;
 * (c) 50 concurrent opens with a sync due: Metabase calls (target 1) and publish latency.
 * Peak RSS of this process (app + fakes) for each.
 *
 * `npx tsx bench/home.bench.ts` or `npm run bench -- home`.
 */
import { ManualClock } from '../src/clock';
import { createLogger } from '../src/logger';
import { createProductionReader } from '../src/production/metabase-client';
import { syncLeadsFromProduction } from '../src/domain/lead-sync';
import { syncCoordinatorFor } from '../src/domain/sync-coordinator';
import { STAGES } from '../src/domain/stages';
import { startFakeMetabase, type FakeCustomerRow, type FakeMetabase } from '../test/support/fake-metabase';
import { startTestApp, type TestApp } from '../test/support/harness';

type Row = Record<string, string | number>;

const NOW = new Date('2026-11-25T09:00:00Z');
const DAY = 86_400_000;
const CUSTOMERS_CARD = 11;
const ORDERS_CARD = 12;
const USERS = Array.from({ length: 60 }, (_, i) => `U0BENCH${String(i).padStart(3, '0')}`);
const CURRENCIES = [['AE', 'AED'], ['SA', 'SAR'], ['KW', 'KWD'], ['IN', 'INR'], ['EG', 'EGP'], ['US', 'USD']] as const;

/** `n` customers, a fifth of them buying in two currencies, orders spread over the last 100 days. */
function customers(n: number): FakeCustomerRow[] {
  const rows: FakeCustomerRow[] = [];
  for (let i = 1; i <= n; i++) {
    const id = `B${String(i).padStart(6, '0')}`;
    const [market, currency] = CURRENCIES[i % CURRENCIES.length]!;
    const lastOrder = new Date(NOW.getTime() - (i % 100) * DAY).toISOString();
    const base = { customer_id: id, customer_name: `Bench Customer ${i}`, company: `Bench Co ${i}`, email: `buyer${i}@example.com`, phone: null };
    rows.push({ ...base, market, currency, order_count: 1 + (i % 9), lifetime_total: `${(i * 7919) % 1_000_000}.${String(i % 100).padStart(2, '0')}`, last_order_at: lastOrder });
    if (i % 5 === 0) rows.push({ ...base, market: 'AE', currency: 'AED', order_count: 2, lifetime_total: '1250.00', last_order_at: lastOrder });
  }
  return rows;
}

/** Samples this process's RSS until stopped; returns the peak in MB. */
function rssSampler(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  return () => {
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    return Math.round(peak / 1024 / 1024);
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const ms = (n: number) => Math.round(n);

interface BenchApp {
  t: TestApp;
  mb: FakeMetabase;
  clock: ManualClock;
  stop(): Promise<void>;
}

async function startBenchApp(rows: FakeCustomerRow[]): Promise<BenchApp> {
  const clock = new ManualClock(NOW);
  const mb = await startFakeMetabase({ apiKey: 'bench-key', customersCardId: CUSTOMERS_CARD, ordersCardId: ORDERS_CARD, now: () => clock.now() });
  mb.setCustomers(rows);
  const production = createProductionReader(
    { url: mb.url, auth: { kind: 'apiKey', apiKey: 'bench-key' }, customersCardId: CUSTOMERS_CARD, ordersCardId: ORDERS_CARD, timeoutMs: 30_000 },
    createLogger('silent'),
    clock,
  );
  const t = await startTestApp({ env: { CRM_ACCOUNT_MANAGERS: USERS.join(','), LOG_LEVEL: 'silent' }, clock, production });
  for (const id of USERS) t.slack.addUser({ id, tz: 'Asia/Dubai' });
  // Regular users: their users.info facts are already cached, as they are after a first visit.
  for (const userId of USERS) {
    await t.deps.db.prisma.slackUserCache.create({ data: { userId, tz: 'Asia/Dubai', fetchedAt: clock.now() } });
  }
  return {
    t,
    mb,
    clock,
    async stop() {
      await t.stop();
      await mb.close();
    },
  };
}

/** A sync run directly (as the coordinator would), timed, with the Metabase read included. */
async function timedSync(app: BenchApp): Promise<{ ms: number; created: number; updated: number; fetched: number }> {
  const started = performance.now();
  const run = await syncLeadsFromProduction(app.t.deps, app.t.deps.production!, { trigger: 'bench' });
  if (run.status !== 'ok') throw new Error(`bench sync failed: ${run.error}`);
  return { ms: performance.now() - started, created: run.created, updated: run.updated, fetched: run.fetched };
}

/** Spreads the leads over the six stages and a few owners, as a real pipeline would be. */
async function spreadPipeline(app: BenchApp): Promise<void> {
  const { prisma } = app.t.deps.db;
  const cases = STAGES.map((s, i) => `WHEN ${i} THEN '${s.slug}'`).join(' ');
  await prisma.$executeRawUnsafe(`UPDATE "Lead" SET "stage" = CASE "id" % 10 ${cases} ELSE 'lead' END`);
  await prisma.$executeRawUnsafe(`UPDATE "Lead" SET "ownerId" = '${USERS[0]}' WHERE "id" % 7 = 1`);
}

/** Sends app_home_opened for each user; resolves with ms from request to that user's first publish. */
async function openAndTimeFirstPublish(app: BenchApp, users: string[]): Promise<number[]> {
  const { slack, driver } = app.t;
  return Promise.all(
    users.map(async (user) => {
      const seen = slack.callsTo('views.publish').filter((c) => c.args.user_id === user).length;
      const started = performance.now();
      const res = await driver.openHome(user);
      if (res.status !== 200) throw new Error(`app_home_opened answered ${res.status}`);
      await slack.waitFor(() => slack.callsTo('views.publish').filter((c) => c.args.user_id === user).length > seen, 30_000, `publish for ${user}`);
      return performance.now() - started;
    }),
  );
}

/** Waits until no sync runs and Slack has been quiet for a moment. */
async function settle(app: BenchApp): Promise<void> {
  let seen = -1;
  for (;;) {
    const calls = app.t.slack.calls.length;
    if (!syncCoordinatorFor(app.t.deps).running && calls === seen) return;
    seen = calls;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const cardCalls = (mb: FakeMetabase) => mb.requests.filter((r) => r.path.startsWith('/api/card/')).length;

/** (a): sequential opens, each with a sync due (the clock moves past the reuse window). */
async function firstPublishLatency(leads: number, opens: number): Promise<{ rows: Row[]; app: BenchApp }> {
  const app = await startBenchApp(customers(leads));
  await timedSync(app);
  await spreadPipeline(app);
  app.mb.setLatency(200);
  // Warm-up: first query plans and connections.
  await openAndTimeFirstPublish(app, [USERS[1]!]);
  await settle(app);
  const stopRss = rssSampler();
  const latencies: number[] = [];
  for (let i = 0; i < opens; i++) {
    app.clock.advance(61_000);
    const [latency] = await openAndTimeFirstPublish(app, [USERS[i % USERS.length]!]);
    latencies.push(latency!);
    await settle(app);
  }
  const peak = stopRss();
  const target = leads <= 5_000 ? 150 : 400;
  return {
    app,
    rows: [
      {
        scenario: `(a) first publish after app_home_opened, ${leads.toLocaleString('en-US')} leads, Metabase 200 ms, sync due`,
        samples: opens,
        p50_ms: ms(percentile(latencies, 50)),
        p95_ms: ms(percentile(latencies, 95)),
        target: `p95 < ${target} ms`,
        ok: percentile(latencies, 95) < target ? 'yes' : 'NO',
        peak_rss_mb: peak,
      },
    ],
  };
}

export async function runHomeBench(): Promise<Row[]> {
  const rows: Row[] = [];

  // (b) 10,000 new leads.
  {
    const app = await startBenchApp(customers(10_000));
    const stopRss = rssSampler();
    const run = await timedSync(app);
    const peak = stopRss();
    rows.push({ scenario: '(b) sync creating 10,000 new leads (incl. Metabase export read)', samples: 1, ms: ms(run.ms), created: run.created, target: '< 3000 ms', ok: run.ms < 3000 && run.created === 10_000 ? 'yes' : 'NO', peak_rss_mb: peak });
    await app.stop();
  }

  // (a) at 5,000 leads.
  {
    const { rows: r, app } = await firstPublishLatency(5_000, 30);
    rows.push(...r);
    await app.stop();
  }

  // (a) at 50,000 leads, then (b) no-change and (c) 50 concurrent opens on the same data.
  {
    const { rows: r, app } = await firstPublishLatency(50_000, 20);
    rows.push(...r);

    app.mb.setLatency(0);
    const stopRss = rssSampler();
    const run = await timedSync(app);
    const peak = stopRss();
    rows.push({ scenario: '(b) no-change sync of 50,000 customers (incl. Metabase export read)', samples: 1, ms: ms(run.ms), created: run.created, updated: run.updated, target: '< 5000 ms', ok: run.ms < 5000 && run.created === 0 && run.updated === 0 ? 'yes' : 'NO', peak_rss_mb: peak });

    app.mb.setLatency(200);
    app.clock.advance(61_000);
    const before = cardCalls(app.mb);
    const stopRss2 = rssSampler();
    const latencies = await openAndTimeFirstPublish(app, USERS.slice(0, 50));
    await settle(app);
    const peak2 = stopRss2();
    const calls = cardCalls(app.mb) - before;
    rows.push({
      scenario: '(c) 50 concurrent opens, 50,000 leads, Metabase 200 ms, sync due',
      samples: 50,
      metabase_calls: calls,
      p50_ms: ms(percentile(latencies, 50)),
      p95_ms: ms(percentile(latencies, 95)),
      target: '1 Metabase call',
      ok: calls === 1 ? 'yes' : 'NO',
      peak_rss_mb: peak2,
    });
    await app.stop();
  }
  return rows;
}

if (require.main === module) {
  runHomeBench().then(
    (rows) => {
      console.table(rows);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
