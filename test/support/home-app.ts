import type { HomeView } from '@slack/types';
import { ManualClock } from '../../src/clock';
import { createLogger } from '../../src/logger';
import { createProductionReader, type MetabaseClient } from '../../src/production/metabase-client';
import { type FakeCustomerRow, type FakeMetabase, startFakeMetabase } from './fake-metabase';
import { type FakeSlack, startFakeSlack } from './fake-slack';
import { startFakeSocketMode } from './fake-socket-mode';
import { startTestApp, type TestApp, waitForSettled } from './harness';
import type { Transport } from './slack-driver';
import { TIMEOUT_NOT_UNDER_TEST_MS } from './timeouts';

/** Roster of the Home tests. */
export const ADMIN = 'U0ADMIN01';
export const AM = 'U0AM00001';
export const AM2 = 'U0AM00002';
export const MANAGER = 'U0MGR0001';
export const GUEST = 'U0GUEST01';
export const STRANGER = 'U0STRANGE1';

export const ROSTER_ENV = {
  CRM_ADMINS: ADMIN,
  CRM_ACCOUNT_MANAGERS: `${AM},${AM2},${GUEST}`,
  CRM_MANAGERS: MANAGER,
};

export const CUSTOMERS_CARD_ID = 11;
export const ORDERS_CARD_ID = 12;

export interface HomeApp {
  t: TestApp;
  mb: FakeMetabase;
  reader: MetabaseClient;
  clock: ManualClock;
  /** Restarts the app on the same database, Slack and Metabase. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real app over HTTP with the fake Slack and a fake Metabase serving `customers`
 * (through the real Metabase client), the roster above, and a manual clock the fake
 * Metabase's `days` window follows.
 */
export async function startHomeApp(
  options: { customers?: FakeCustomerRow[]; slack?: FakeSlack; clock?: ManualClock; transport?: Transport } = {},
): Promise<HomeApp> {
  const clock = options.clock ?? new ManualClock('2026-11-25T09:00:00Z');
  const mb = await startFakeMetabase({
    apiKey: 'mb-key',
    customersCardId: CUSTOMERS_CARD_ID,
    ordersCardId: ORDERS_CARD_ID,
    now: () => clock.now(),
  });
  mb.setCustomers(options.customers ?? []);
  const makeReader = () =>
    createProductionReader(
      {
        url: mb.url,
        auth: { kind: 'apiKey', apiKey: 'mb-key' },
        customersCardId: CUSTOMERS_CARD_ID,
        ordersCardId: ORDERS_CARD_ID,
        timeoutMs: TIMEOUT_NOT_UNDER_TEST_MS,
      },
      // Quiet, and quick to give up on a failure: these tests are about what Home does with one.
      createLogger('silent'),
      clock,
      { retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 } },
    );
  let reader = makeReader();
  const slack = options.slack ?? (await startFakeSlack());
  const transport = options.transport ?? 'http';
  const socket = transport === 'socket' ? await startFakeSocketMode(slack) : undefined;
  let t = await startTestApp({
    env: ROSTER_ENV,
    clock,
    production: reader,
    slack,
    transport,
    ...(socket ? { socket } : {}),
  });
  for (const id of [ADMIN, AM, AM2, MANAGER, STRANGER]) t.slack.addUser({ id, tz: 'Asia/Dubai' });
  t.slack.addUser({ id: GUEST, is_restricted: true });
  const app: HomeApp = {
    t,
    mb,
    reader,
    clock,
    async restart() {
      // Stopping the app closes its production reader.
      await t.stopApp();
      reader = makeReader();
      t = await startTestApp({
        env: ROSTER_ENV,
        clock,
        production: reader,
        slack: t.slack,
        databaseUrl: t.databaseUrl,
        transport,
        ...(socket ? { socket } : {}),
      });
      app.t = t;
      app.reader = reader;
    },
    async stop() {
      await t.stop();
      await socket?.close();
      if (!options.slack) await slack.close();
      await mb.close();
    },
  };
  return app;
}

/** The Home views published for a user, oldest first. */
export function publishedViews(slack: FakeSlack, userId: string): HomeView[] {
  return slack
    .callsTo('views.publish')
    .filter((c) => c.args.user_id === userId)
    .map((c) => c.args.view as HomeView);
}

export function lastView(slack: FakeSlack, userId: string): HomeView {
  const views = publishedViews(slack, userId);
  if (!views.length) throw new Error(`no Home view published for ${userId}`);
  return views[views.length - 1]!;
}

/** Waits until `count` views have been published for the user. */
export async function waitForViews(slack: FakeSlack, userId: string, count: number): Promise<HomeView[]> {
  return slack.waitFor(() => {
    const v = publishedViews(slack, userId);
    return v.length >= count ? v : undefined;
  }, `${count} Home view(s) for ${userId}`);
}

/** Waits until every listener run the requests so far started (sync and republish included) has finished. */
export async function waitForQuiet(t: TestApp): Promise<void> {
  // Every listener run (including the sync and republish after the ack) is tracked by the app.
  await waitForSettled(t);
}

/** The block with this block_id, or undefined. */
export function blockById(view: HomeView, id: string): any {
  return view.blocks.find((b) => (b as { block_id?: string }).block_id === id);
}

/** The names of the leads listed under a stage heading, in order. */
export function leadNamesInStage(view: HomeView, slug: string): string[] {
  const blocks = view.blocks as any[];
  const start = blocks.findIndex((b) => b.block_id === `stage:${slug}`);
  if (start === -1) return [];
  const names: string[] = [];
  for (const b of blocks.slice(start + 1)) {
    if (!String(b.block_id ?? '').startsWith('lead:')) break;
    names.push(/^\*(.*?)\*/.exec(b.text.text)?.[1] ?? '');
  }
  return names;
}
