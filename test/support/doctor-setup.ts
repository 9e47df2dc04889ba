import Database from 'better-sqlite3';
import { sqlitePath } from '../../src/db/client';
import { readManifestBotScopes } from '../../src/doctor/manifest-scopes';
import { openTestDatabase } from './databases';
import { type FakeMetabase, startFakeMetabase } from './fake-metabase';
import { type FakeSlack, startFakeSlack } from './fake-slack';
import { FakeSocketMode } from './fake-socket-mode';

export const DOCTOR_NOW = new Date('2026-11-25T09:00:00Z');
export const DIGEST_CHANNEL = 'CDIGEST01';
export const CUSTOMERS_CARD_ID = 41;
export const ORDERS_CARD_ID = 42;
/** Secrets of the healthy set-up: none of them may appear in a report. */
export const SECRETS = {
  bot: 'xoxb-doctor-bot-secret',
  app: 'xapp-doctor-app-secret',
  metabaseKey: 'mb-doctor-key-secret',
};

export interface DoctorWorld {
  slack: FakeSlack;
  /** Slack's Socket Mode side: answers apps.connections.open for SECRETS.app only. */
  socket: FakeSocketMode;
  mb: FakeMetabase;
  databaseUrl: string;
  /** The environment of a healthy Socket Mode set-up against the fakes. */
  env: Record<string, string>;
  /** Runs SQL on the SQLite file directly (to stage a migration state). */
  sql(statement: string, ...params: unknown[]): void;
  close(): Promise<void>;
}

/**
 * A healthy set-up for the doctor: a migrated SQLite file with a digest channel chosen, a
 * fake Slack granting exactly the manifest's scopes with the bot in that channel (its Socket
 * Mode side accepting SECRETS.app), and a fake Metabase serving both cards with one customer
 * who ordered last week.
 */
export async function healthyWorld(): Promise<DoctorWorld> {
  const slack = await startFakeSlack();
  slack.grantedScopes = readManifestBotScopes().map((s) => s.name);
  slack.channels.set(DIGEST_CHANNEL, { id: DIGEST_CHANNEL, name: 'sales-digest' });
  slack.botChannels.add(DIGEST_CHANNEL);
  const socket = (await new FakeSocketMode(SECRETS.app).start()).attach(slack);

  const mb = await startFakeMetabase({
    apiKey: SECRETS.metabaseKey,
    customersCardId: CUSTOMERS_CARD_ID,
    ordersCardId: ORDERS_CARD_ID,
    now: () => DOCTOR_NOW,
  });
  mb.setCustomers([
    {
      customer_id: 'C1',
      customer_name: 'ACME',
      market: 'AE',
      currency: 'AED',
      order_count: 2,
      lifetime_total: '10.00',
      last_order_at: '2026-11-20T00:00:00Z',
      first_order_at: '2026-10-20T00:00:00Z',
    },
  ]);
  mb.setOrders('C1', [
    {
      order_id: 1,
      created_at: '2026-11-20T00:00:00Z',
      market: 'AE',
      currency: 'AED',
      total: '10.00',
      status: 'delivered',
    },
  ]);

  const database = await openTestDatabase('sqlite');
  await database.db.prisma.setting.create({ data: { key: 'digest_channel', value: JSON.stringify(DIGEST_CHANNEL) } });
  await database.db.close();

  const env = {
    SLACK_BOT_TOKEN: SECRETS.bot,
    SLACK_APP_TOKEN: SECRETS.app,
    SLACK_API_URL: slack.apiUrl,
    DATABASE_URL: database.url,
    METABASE_URL: mb.url,
    METABASE_API_KEY: SECRETS.metabaseKey,
    METABASE_CUSTOMERS_CARD_ID: String(CUSTOMERS_CARD_ID),
    METABASE_ORDERS_CARD_ID: String(ORDERS_CARD_ID),
    METABASE_TIMEOUT_MS: '2000',
  };
  return {
    slack,
    socket,
    mb,
    databaseUrl: database.url,
    env,
    sql(statement, ...params) {
      const raw = new Database(sqlitePath(database.url));
      try {
        raw.prepare(statement).run(...params);
      } finally {
        raw.close();
      }
    },
    async close() {
      await slack.close();
      await socket.close();
      await mb.close().catch(() => undefined);
      await database.cleanup();
    },
  };
}
