/**
 * Home tab and lead sync benchmark. Runs the real app over HTTP against the fake Slack and
 * the fake Metabase (through the real Metabase client) on a temporary SQLite file:
 *
 * (a) first views.publish after app_home_opened, Metabase answering in 200 ms and a sync
 *     due on every open: p50/p95 from request to publish (target p95 ≤ 40 ms at 50,000);
 *     floor: the minimal queries behind the view (the stored per-stage totals, each stage's
 *     top page by the USD index) and JSON.stringify of the view published, straight through
 *     better-sqlite3 (bench/support/floors.ts); beside it the floor without stored totals
 *     (one grouped scan of every lead instead), the floor before they existed;
 * (b) a sync creating 10,000 new leads and a no-change sync, both including the Metabase
 *     export read (target ≤ 2× floor); floors: download the same export, JSON.parse it,
 *     and insert (into a fresh database) or compare every row with prepared statements in
 *     one transaction;
 * (c) 50 concurrent opens with a sync due: Metabase calls (target 1) and publish latency
 *     (target p95 ≤ 250 ms); floor: (a)'s queries once and 50 views serialised.
 * Peak RSS of this process for each, and for the syncs and (c) the longest stretch the event
 * loop was blocked (`loop_max_block_ms`, perf_hooks.monitorEventLoopDelay): what a Home
 * open arriving at the worst moment waits before it is even read.
 * Sizes: 50,000 customers by default; `BENCH_SIZES=10000,50000,200000` for the growth run.
 *
 * The fake Metabase runs in a child process (bench/support/fake-metabase-process.ts), as a
 * real one runs on another machine: serving 50,000 rows takes neither this process's CPU
 * nor its memory, so the RSS figures are the app's (plus the in-process fake Slack). Its rows
 * are built in the child (fixture `home`), and it reads them once itself before the timed
 * runs, so its own warm-up (JIT, serialising the rows) is not timed. Its clock is fixed at
 * NOW (the app's ManualClock moves a few minutes on: far inside the 120-day window).
 *
 * `npx tsx bench/home.bench.ts` or `npm run bench -- home`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ManualClock } from '../src/clock';
import { STAGES } from '../src/common/stages';
import { migrateDatabase } from '../src/db/migrate';
import { HOME_PAGE_SIZE_ALL_STAGES } from '../src/domain/home-data';
import { syncLeadsFromProduction } from '../src/domain/lead-sync';
import { createLogger } from '../src/logger';
import { createProductionReader } from '../src/production/metabase-client';
import { tempSqliteUrl } from '../test/support/databases';
import { startTestApp, type TestApp } from '../test/support/harness';
import { type FakeMetabaseProcess, startFakeMetabaseProcess } from './support/fake-metabase-process';
import { fetchExportBody, homeFloor, syncCompareFloor, syncCreateFloor } from './support/floors';
import {
  type BenchProvider,
  benchProviders,
  benchSizes,
  ms,
  percentile,
  ratio,
  rssSampler,
  thousands,
} from './support/measure';
import { runWhenMain } from './support/run-directly';

type Row = Record<string, string | number>;

const NOW = new Date('2026-11-25T09:00:00Z');
const CUSTOMERS_CARD = 11;
const ORDERS_CARD = 12;
const SYNC_DAYS = 120;
const USERS = Array.from({ length: 60 }, (_, i) => `U0BENCH${String(i).padStart(3, '0')}`);

/**
 * Records event-loop delay until stopped; resolves with the longest stall in ms (10 ms
 * resolution). A stall is recorded when the loop next turns, so stopping waits for a turn:
 * a sync that blocks right up to its end would otherwise go unseen.
 */
function loopBlockSampler(): () => Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 30));
    h.disable();
    return Math.round(h.max / 1e6);
  };
}

interface BenchApp {
  t: TestApp;
  mb: FakeMetabaseProcess;
  clock: ManualClock;
  stop(): Promise<void>;
}

/** The app on a fresh database, and a fake Metabase serving `customers` customers (fixture `home`). */
async function startBenchApp(customers: number, provider: BenchProvider = 'sqlite'): Promise<BenchApp> {
  const clock = new ManualClock(NOW);
  const mb = await startFakeMetabaseProcess({
    apiKey: 'bench-key',
    customersCardId: CUSTOMERS_CARD,
    ordersCardId: ORDERS_CARD,
    now: NOW,
  });
  await mb.setCustomers({ fixture: 'home', count: customers });
  await mb.warm(SYNC_DAYS);
  const production = createProductionReader(
    {
      url: mb.url,
      auth: { kind: 'apiKey', apiKey: 'bench-key' },
      customersCardId: CUSTOMERS_CARD,
      ordersCardId: ORDERS_CARD,
      timeoutMs: 30_000,
    },
    createLogger('silent'),
    clock,
  );
  const t = await startTestApp({
    env: { CRM_ACCOUNT_MANAGERS: USERS.join(','), LOG_LEVEL: 'silent' },
    clock,
    production,
    database: provider,
  });
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
      await mb.stop();
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
      await slack.waitFor(
        () => slack.callsTo('views.publish').filter((c) => c.args.user_id === user).length > seen,
        `publish for ${user}`,
      );
      return performance.now() - started;
    }),
  );
}

/** The view most recently published for a user. */
function firstView(app: BenchApp, user: string): unknown {
  const calls = app.t.slack.callsTo('views.publish').filter((c) => c.args.user_id === user);
  return calls[calls.length - 1]!.args.view;
}

/** Waits until no sync runs and Slack has been quiet for a moment. */
async function settle(app: BenchApp): Promise<void> {
  let seen = -1;
  for (;;) {
    const calls = app.t.slack.calls.length;
    if (!app.t.deps.syncCoordinator.running && calls === seen) return;
    seen = calls;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A floor straight through better-sqlite3, or null on PostgreSQL (no floor measured there yet). */
const sqliteOnly = <T>(provider: BenchProvider, floor: () => T): T | null => (provider === 'sqlite' ? floor() : null);
const DB_NAME: Record<BenchProvider, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/** (a): sequential opens, each with a sync due (the clock moves past the reuse window). */
async function firstPublishLatency(
  leads: number,
  opens: number,
  provider: BenchProvider,
): Promise<{ rows: Row[]; app: BenchApp }> {
  const app = await startBenchApp(leads, provider);
  await timedSync(app);
  await spreadPipeline(app);
  await app.mb.setLatency(200);
  // Warm-up: first query plans and connections.
  await openAndTimeFirstPublish(app, [USERS[1]!]);
  await settle(app);
  const stopRss = rssSampler();
  const latencies: number[] = [];
  const floors: number[] = [];
  const scanFloors: number[] = [];
  const floor = sqliteOnly(provider, () => homeFloor(app.t.databaseUrl, HOME_PAGE_SIZE_ALL_STAGES));
  for (let i = 0; i < opens; i++) {
    app.clock.advance(61_000);
    const user = USERS[i % USERS.length]!;
    const [latency] = await openAndTimeFirstPublish(app, [user]);
    latencies.push(latency!);
    await settle(app);
    if (floor) {
      floors.push(floor.once(firstView(app, user)));
      scanFloors.push(floor.scanOnce(firstView(app, user)));
    }
  }
  floor?.close();
  const peak = stopRss();
  const target = 40;
  const p95 = percentile(latencies, 95);
  return {
    app,
    rows: [
      {
        scenario: `(a) first publish after app_home_opened, ${thousands(leads)} leads, Metabase 200 ms, sync due`,
        db: DB_NAME[provider],
        samples: opens,
        p50_ms: ms(percentile(latencies, 50)),
        p95_ms: ms(p95),
        floor_p95_ms: floor ? ms(percentile(floors, 95)) : 'n/a',
        ratio: floor ? ratio(p95, percentile(floors, 95)) : 'n/a',
        scan_floor_p95_ms: floor ? ms(percentile(scanFloors, 95)) : 'n/a',
        target: `p95 ≤ ${target} ms`,
        ok: p95 <= target ? 'yes' : 'NO',
        peak_rss_mb: peak,
      },
    ],
  };
}

export async function runHomeBench(): Promise<Row[]> {
  const rows: Row[] = [];
  const body = (app: BenchApp) => () => fetchExportBody(app.mb.url, 'bench-key', CUSTOMERS_CARD, SYNC_DAYS);
  // What the process holds before any app starts (Node, the loader, the modules): part of every peak below.
  const baseRss = Math.round(process.memoryUsage.rss() / 1024 / 1024);

  for (const provider of benchProviders(['sqlite'])) {
    const db = DB_NAME[provider];
    // (b) 10,000 new leads; floor: the same export parsed and inserted into a fresh database.
    {
      const app = await startBenchApp(10_000, provider);
      const stopRss = rssSampler();
      const stopLoop = loopBlockSampler();
      const run = await timedSync(app);
      const loopMax = await stopLoop();
      const peak = stopRss();
      let floorMs: number | null = null;
      if (provider === 'sqlite') {
        const fresh = tempSqliteUrl();
        await migrateDatabase(fresh.url);
        floorMs = await syncCreateFloor(fresh.url, body(app));
        await fresh.cleanup();
      }
      rows.push({
        scenario: '(b) sync creating 10,000 new leads (incl. Metabase export read)',
        db,
        samples: 1,
        ms: ms(run.ms),
        floor_ms: floorMs === null ? 'n/a' : ms(floorMs),
        ratio: floorMs === null ? 'n/a' : ratio(run.ms, floorMs),
        created: run.created,
        target: '≤ 2x floor',
        ok:
          floorMs !== null && run.ms <= 2 * floorMs && run.created === 10_000 ? 'yes' : floorMs === null ? 'n/a' : 'NO',
        peak_rss_mb: peak,
        base_rss_mb: baseRss,
        loop_max_block_ms: loopMax,
      });
      await app.stop();
    }

    // (a), then (b) no-change and (c) 50 concurrent opens on the same data, at each size.
    for (const customers of benchSizes([50_000])) {
      const { rows: r, app } = await firstPublishLatency(customers, 20, provider);
      rows.push(...r);

      await app.mb.setLatency(0);
      const stopRss = rssSampler();
      const stopLoop = loopBlockSampler();
      const run = await timedSync(app);
      const loopMax = await stopLoop();
      const peak = stopRss();
      const floor = provider === 'sqlite' ? await syncCompareFloor(app.t.databaseUrl, body(app)) : null;
      if (floor?.differing) throw new Error(`no-change floor saw ${floor.differing} differing rows`);
      rows.push({
        scenario: `(b) no-change sync of ${thousands(customers)} customers (incl. Metabase export read)`,
        db,
        samples: 1,
        ms: ms(run.ms),
        floor_ms: floor ? ms(floor.ms) : 'n/a',
        ratio: floor ? ratio(run.ms, floor.ms) : 'n/a',
        created: run.created,
        updated: run.updated,
        target: '≤ 2x floor',
        ok: floor ? (run.ms <= 2 * floor.ms && run.created === 0 && run.updated === 0 ? 'yes' : 'NO') : 'n/a',
        peak_rss_mb: peak,
        base_rss_mb: baseRss,
        loop_max_block_ms: loopMax,
      });

      await app.mb.setLatency(200);
      app.clock.advance(61_000);
      const before = await app.mb.cardCalls();
      const stopRss2 = rssSampler();
      const stopLoop2 = loopBlockSampler();
      const opened = USERS.slice(0, 50);
      const latencies = await openAndTimeFirstPublish(app, opened);
      await settle(app);
      const loopMax2 = await stopLoop2();
      const peak2 = stopRss2();
      const calls = (await app.mb.cardCalls()) - before;
      // Floor: the data read once (everyone asks the same question) and 50 views serialised.
      let floorMs: number | null = null;
      if (provider === 'sqlite') {
        const home = homeFloor(app.t.databaseUrl, HOME_PAGE_SIZE_ALL_STAGES);
        const views = opened.map((u) => firstView(app, u));
        const floorStarted = performance.now();
        home.once(views[0]);
        for (const v of views.slice(1)) JSON.stringify(v);
        floorMs = performance.now() - floorStarted;
        home.close();
      }
      const p95 = percentile(latencies, 95);
      rows.push({
        scenario: `(c) 50 concurrent opens, ${thousands(customers)} leads, Metabase 200 ms, sync due`,
        db,
        samples: 50,
        metabase_calls: calls,
        p50_ms: ms(percentile(latencies, 50)),
        p95_ms: ms(p95),
        floor_ms: floorMs === null ? 'n/a' : ms(floorMs),
        ratio: floorMs === null ? 'n/a' : ratio(p95, floorMs),
        target: '1 Metabase call, p95 ≤ 250 ms',
        ok: calls === 1 && p95 <= 250 ? 'yes' : 'NO',
        peak_rss_mb: peak2,
        loop_max_block_ms: loopMax2,
      });
      await app.stop();
    }
  }
  return rows;
}

runWhenMain(module, runHomeBench);
