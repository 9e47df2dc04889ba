import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import type { ManualClock } from '../../src/clock';
import { ACTION_IDS } from '../../src/slack/views/action-ids';
import { LEAD_BLOCKS } from '../../src/slack/views/lead-card';
import { prepareCompiledApp, runCompiledApp } from '../support/app-process';
import { tempSqliteUrl } from '../support/databases';
import { type FakeMetabase, startFakeMetabase } from '../support/fake-metabase';
import { FakeSlack, startFakeSlack } from '../support/fake-slack';
import { startTestApp, type TestApp, waitForSettled } from '../support/harness';
import { trackWait } from '../support/pending-waits';
import { seedLead } from '../support/seed-leads';
import { SlackDriver } from '../support/slack-driver';

/**
 * Every failure the app can meet talking to Slack, Metabase or its database, driven against
 * the real app: no log line and nothing on stderr may carry a secret or a customer's
 * e-mail or phone, in any encoding a request body or URL would give it.
 */
const SECRET = {
  botToken: 'xoxb-leakcheck-bot-7d3f9a2c41',
  signingSecret: 'leakcheck-signing-5e8b1c',
  appToken: 'xapp-1-leakcheck-app-91ab',
  metabaseKey: 'mb-leakcheck-key-2f6e0d',
  metabasePassword: 'mb-leakcheck-pass-8c4a7b',
  databasePassword: 'db-leakcheck-pass-3e9d',
  customerEmail: 'jane.leakcheck@customer.example',
  customerPhone: '+971 55 731 9942',
  contactEmail: 'omar.leakcheck@customer.example',
  contactPhone: '+971 4 388 2716',
};

const AM = 'U0AMANAGE1';
const CUSTOMER_ID = 'LEAK-1';
const CUSTOMERS_CARD = 11;
const ORDERS_CARD = 12;

/** The forms a value takes in a JSON string, a form-encoded body, a URL, or as bare digits. */
function forms(value: string): string[] {
  const out = new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]);
  out.add(new URLSearchParams({ v: value }).toString().slice(2));
  const digits = value.replace(/\D/g, '');
  if (/^\+?[\d\s()-]+$/.test(value) && digits.length >= 8) out.add(digits);
  return [...out];
}

function leaksIn(text: string): string[] {
  const found = Object.entries(SECRET).flatMap(([name, value]) =>
    forms(value)
      .filter((f) => text.includes(f))
      .map((f) => `${name} as "${f}"`),
  );
  if (/Bearer xox/.test(text)) found.push('a Bearer token');
  return found;
}

/** Everything written to stderr or the console while a test runs. */
const stderr: string[] = [];
beforeAll(() => {
  const original = process.stderr.write.bind(process.stderr);
  jest.spyOn(process.stderr, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    stderr.push(String(chunk));
    return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write);
  for (const method of ['error', 'warn', 'log', 'info', 'debug'] as const) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      stderr.push(args.map(String).join(' '));
    });
  }
});
afterAll(() => jest.restoreAllMocks());
// The processes below run the compiled app: brought up to date first, as `npm start` does.
beforeAll(async () => {
  await prepareCompiledApp();
}, 600_000);

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Scenario {
  slack: FakeSlack;
  mb: FakeMetabase;
  t: TestApp;
  driver: SlackDriver;
  leadId: number;
  lines: string[];
  /** Resolves once `count` log lines match (no deadline of its own: jest's test timeout bounds it). */
  waitForLog(pattern: RegExp, count?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real app over HTTP, logging at `trace` into `lines`, with a customer (e-mail, phone)
 * and a lead contact seeded, the fake Slack and a fake Metabase holding the same customer.
 */
async function startScenario(
  env: Record<string, string> = {},
  metabase: 'apiKey' | 'session' = 'apiKey',
): Promise<Scenario> {
  const lines: string[] = [];
  const logged = new Set<() => void>();
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      for (const check of [...logged]) check();
      cb();
    },
  });
  const slack = await startFakeSlack();
  slack.addUser({ id: AM });
  const mb = await startFakeMetabase({
    customersCardId: CUSTOMERS_CARD,
    ordersCardId: ORDERS_CARD,
    ...(metabase === 'apiKey' ? { apiKey: SECRET.metabaseKey } : { username: 'crm', password: 'the-right-one' }),
  });
  mb.setCustomers([
    {
      customer_id: CUSTOMER_ID,
      customer_name: 'Leak Customer',
      email: SECRET.customerEmail,
      phone: SECRET.customerPhone,
      market: 'AE',
      currency: 'AED',
      order_count: 3,
      lifetime_total: '1200.00',
      last_order_at: new Date().toISOString(),
    },
  ]);
  const mbEnv: Record<string, string> =
    metabase === 'apiKey'
      ? { METABASE_API_KEY: SECRET.metabaseKey }
      : { METABASE_USERNAME: 'crm', METABASE_PASSWORD: SECRET.metabasePassword };
  const t = await startTestApp({
    slack,
    logStream,
    env: {
      SLACK_BOT_TOKEN: SECRET.botToken,
      SLACK_SIGNING_SECRET: SECRET.signingSecret,
      CRM_ACCOUNT_MANAGERS: AM,
      LOG_LEVEL: 'trace',
      METABASE_URL: mb.url,
      METABASE_CUSTOMERS_CARD_ID: String(CUSTOMERS_CARD),
      METABASE_ORDERS_CARD_ID: String(ORDERS_CARD),
      ...mbEnv,
      ...env,
    },
  });
  const leadId = await seedLead(t.deps.db.prisma, {
    customerId: CUSTOMER_ID,
    name: 'Leak Customer',
    email: SECRET.customerEmail,
    phone: SECRET.customerPhone,
    ownerId: AM,
  });
  await t.deps.db.prisma.lead.update({
    where: { id: leadId },
    data: { contactName: 'Omar', contactEmail: SECRET.contactEmail, contactPhone: SECRET.contactPhone },
  });
  const driver = new SlackDriver(t.baseUrl, SECRET.signingSecret, slack);
  return {
    slack,
    mb,
    t,
    driver,
    leadId,
    lines,
    waitForLog(pattern, count = 1) {
      return new Promise<void>((resolve, reject) => {
        const stop = () => {
          logged.delete(check);
          untrack();
        };
        const check = () => {
          if (lines.filter((l) => pattern.test(l)).length < count) return;
          stop();
          resolve();
        };
        const untrack = trackWait({
          describe: () => `${count} log line(s) matching ${pattern}; got:\n${lines.join('')}`,
          abandon: () => {
            stop();
            reject(new Error(`the test ended while waiting for a log line matching ${pattern}`));
          },
        });
        logged.add(check);
        check();
      });
    },
    async stop() {
      try {
        await t.stop();
      } finally {
        await slack.close();
        await mb.close();
      }
    },
  };
}

/** What a user does that sends customer data out: Home, the contact modal, the lead card, orders. */
async function useTheCrm(s: Scenario): Promise<void> {
  await Promise.all([
    s.driver.openHome(AM),
    s.driver.blockAction(
      AM,
      { type: 'overflow', action_id: ACTION_IDS.leadOverflow, selected_option: { value: `contact:${s.leadId}` } },
      { type: 'view', view_id: 'VHOME' },
    ),
    s.driver.crm(AM, `lead ${CUSTOMER_ID}`),
    s.driver.crm(AM, `orders ${CUSTOMER_ID}`),
  ]);
  await waitForSettled(s.t);
}

/** Runs the compiled app as `npm start` does and returns everything it printed once it exits. */
async function runApp(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const app = runCompiledApp(env);
  const code = await app.exited;
  return { code, output: app.output() };
}

function expectNoLeaks(s: Scenario): void {
  expect(leaksIn(s.lines.join(''))).toEqual([]);
  expect(leaksIn(stderr.join(''))).toEqual([]);
}

/** Three processes loading the whole app at once, on a busy machine, take a while. */
const PROCESS_TEST_TIMEOUT_MS = 60_000;

describe('no secret or customer contact detail reaches a log line or stderr', () => {
  // The app as a process: three processes loading the whole app at once. They run side by side,
  // but not beside the scenarios in this process below: a scenario's time bound would count the
  // processes' loading (on a busy machine, most of the 30 s), not the scenario's own work.
  describe('the app as a process', () => {
    it.concurrent(
      'Slack unreachable at start, HTTP mode: the app starts and serves anyway, and the Slack calls that fail are logged without a secret',
      async () => {
        const db = tempSqliteUrl();
        const closed = await closedPort();
        const app = runCompiledApp({
          SLACK_BOT_TOKEN: SECRET.botToken,
          SLACK_SIGNING_SECRET: SECRET.signingSecret,
          SLACK_API_URL: `http://127.0.0.1:${closed}/api/`,
          DATABASE_URL: db.url,
          CRM_ADMINS: AM,
          PORT: '0',
          LOG_LEVEL: 'trace',
        });
        try {
          const port = Number((await app.waitFor(/"port":(\d+)[^\n]*listening/))[1]);
          expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
          // Slack's side of the requests only (trigger ids, response_urls): nothing answers its calls.
          const driver = new SlackDriver(`http://127.0.0.1:${port}`, SECRET.signingSecret, new FakeSlack());
          expect((await driver.openHome(AM)).status).toBe(200);
          // The Home publish cannot reach Slack: logged once the client's retries are spent.
          await app.waitFor(/WebAPIRequestError/);
          app.child.kill('SIGTERM');
          expect(await app.exited).toBe(0);
          expect(leaksIn(app.output())).toEqual([]);
        } finally {
          app.child.kill('SIGKILL');
          await db.cleanup();
        }
      },
      PROCESS_TEST_TIMEOUT_MS,
    );

    it.concurrent(
      'a failure at start prints no secret: Socket Mode with a refused app token',
      async () => {
        const slack = await startFakeSlack();
        const db = tempSqliteUrl();
        try {
          slack.failWith('apps.connections.open', 'invalid_auth', 100);
          slack.failWith('auth.test', 'invalid_auth', 100);
          const run = await runApp({
            SLACK_BOT_TOKEN: SECRET.botToken,
            SLACK_APP_TOKEN: SECRET.appToken,
            SLACK_API_URL: slack.apiUrl,
            DATABASE_URL: db.url,
            PORT: '0',
            LOG_LEVEL: 'trace',
          });
          expect(run.code).toBe(1);
          expect(run.output).toContain(
            'Failed to start: Slack refused to open a Socket Mode connection (invalid_auth)',
          );
          expect(leaksIn(run.output)).toEqual([]);
        } finally {
          await slack.close();
          await db.cleanup();
        }
      },
      PROCESS_TEST_TIMEOUT_MS,
    );

    it.concurrent(
      'a failure at start prints no secret: a PostgreSQL URL with a password that cannot be reached',
      async () => {
        const run = await runApp({
          SLACK_BOT_TOKEN: SECRET.botToken,
          SLACK_SIGNING_SECRET: SECRET.signingSecret,
          DATABASE_URL: `postgres://crm:${SECRET.databasePassword}@127.0.0.1:${await closedPort()}/crm`,
          PORT: '0',
          LOG_LEVEL: 'trace',
        });
        expect(run.code).toBe(1);
        expect(run.output).toContain('Failed to start');
        expect(leaksIn(run.output)).toEqual([]);
      },
      PROCESS_TEST_TIMEOUT_MS,
    );
  });

  describe('the app in this process, with Slack, Metabase or the database failing', () => {
    it.concurrent('Slack goes away after the app started (connection refused on every call)', async () => {
      const s = await startScenario();
      try {
        await s.driver.crm(AM, 'help'); // authorises once, as a running app has
        await s.slack.waitForResponse(1);
        await s.slack.close();
        await useTheCrm(s);
        await s.waitForLog(/"msg":"lead action failed"/);
        expect(s.lines.join('')).toMatch(/"code":"ECONNREFUSED"/);
        expectNoLeaks(s);
      } finally {
        await s.stop();
      }
    });

    it.concurrent('a Web API call times out', async () => {
      const s = await startScenario({ SLACK_TIMEOUT_MS: '250' });
      try {
        s.slack.hang('views.open', 100);
        s.slack.hang('views.publish', 100);
        await useTheCrm(s);
        expect(s.lines.join('')).toMatch(/TimeoutError/);
        expectNoLeaks(s);
      } finally {
        await s.stop();
      }
    });

    for (const status of [400, 403, 500, 502]) {
      it.concurrent(`the Web API answers HTTP ${status} with a body echoing the request`, async () => {
        const s = await startScenario();
        try {
          s.slack.httpError('views.open', status, 100);
          s.slack.httpError('views.publish', status, 100);
          await useTheCrm(s);
          expect(s.lines.join('')).toContain(`"statusCode":${status}`);
          expectNoLeaks(s);
        } finally {
          await s.stop();
        }
      });
    }

    it.concurrent('the Web API keeps answering 429', async () => {
      const s = await startScenario();
      try {
        s.slack.rateLimit('views.open', 0, 100);
        s.slack.rateLimit('views.publish', 0, 100);
        await useTheCrm(s);
        expect(s.lines.join('')).toMatch(/rate limit/i);
        expectNoLeaks(s);
      } finally {
        await s.stop();
      }
    });

    it.concurrent('the bot token is refused (invalid_auth)', async () => {
      const s = await startScenario();
      try {
        await s.driver.crm(AM, 'help'); // the token was fine at start, then revoked
        await s.slack.waitForResponse(1);
        for (const method of ['users.info', 'views.open', 'views.publish', 'chat.postMessage']) {
          s.slack.failWith(method, 'invalid_auth', 100);
        }
        await useTheCrm(s);
        await s.waitForLog(/"data":\{"error":"invalid_auth"\}/);
        expectNoLeaks(s);
      } finally {
        await s.stop();
      }
    });

    it.concurrent('Metabase refuses connections, times out, answers 5xx, 403 echoing the key, and fails the query', async () => {
      const s = await startScenario({ METABASE_URL: `http://127.0.0.1:${await closedPort()}` });
      const t = await startScenario({ METABASE_TIMEOUT_MS: '500' });
      try {
        await useTheCrm(s);
        expect(s.lines.join('')).toMatch(/could not reach Metabase/);
        // Each round reads both cards (the sync and the order history); transient failures are tried 3 times.
        for (const failure of [
          { kind: 'slow' as const, delayMs: 5_000, times: 6 },
          { kind: 'http500' as const, times: 6 },
          { kind: 'httpError' as const, status: 403, body: `denied: x-api-key ${SECRET.metabaseKey}`, times: 2 },
          { kind: 'failed202' as const, message: 'ERROR: relation "orders" does not exist', times: 2 },
        ]) {
          (t.t.clock as ManualClock).advance(3_600_000); // past the sync's reuse and back-off windows
          t.mb.failNext(failure);
          await useTheCrm(t);
        }
        expect(t.lines.join('')).toMatch(/timed out/);
        expect(t.lines.join('')).toMatch(/"statusCode":500/);
        expect(t.lines.join('')).toMatch(/"statusCode":403/);
        expect(t.lines.join('')).toMatch(/"kind":"query_failed"/);
        expectNoLeaks(s);
        expectNoLeaks(t);
      } finally {
        // Both stop, even when the first says the app broke a rule.
        await s.stop().finally(() => t.stop());
      }
    });

    it.concurrent('Metabase rejects the login password', async () => {
      const s = await startScenario({}, 'session');
      try {
        await useTheCrm(s);
        expect(s.lines.join('')).toMatch(/rejected the login/);
        expectNoLeaks(s);
      } finally {
        await s.stop();
      }
    });

    it.concurrent('the database fails while a contact with an e-mail and a phone is saved', async () => {
      const s = await startScenario();
      try {
        await s.t.deps.db.prisma.$executeRawUnsafe('DROP TABLE "Activity"');
        const lead = await s.t.deps.db.prisma.lead.findUniqueOrThrow({ where: { id: s.leadId } });
        const text = (value: string) => ({ type: 'plain_text_input', value });
        const res = await s.driver.submitView(AM, {
          callback_id: 'lead_contact',
          private_metadata: JSON.stringify({ leadId: s.leadId, version: lead.version }),
          values: {
            [LEAD_BLOCKS.contactName]: { [ACTION_IDS.contactName]: text('Omar') },
            [LEAD_BLOCKS.contactRole]: { [ACTION_IDS.contactRole]: text('Buyer') },
            [LEAD_BLOCKS.contactEmail]: { [ACTION_IDS.contactEmail]: text(`new.${SECRET.contactEmail}`) },
            [LEAD_BLOCKS.contactPhone]: { [ACTION_IDS.contactPhone]: text(SECRET.contactPhone) },
          },
        });
        expect(JSON.stringify(res.json)).toContain('saving failed');
        await s.waitForLog(/"msg":"saving a lead modal failed"/);
        expect(s.lines.join('')).toMatch(/"type":"PrismaClient/);
        expectNoLeaks(s);
      } finally {
        await s.stop();
      }
    });
  });
});
