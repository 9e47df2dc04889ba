import { Writable } from 'node:stream';
import type { AppDeps } from '../../src/deps';
import { createLogger } from '../../src/logger';
import { MetabaseClient } from '../../src/production/metabase-client';
import { healthReport } from '../../src/slack/runtime/health';
import { type FakeMetabase, startFakeMetabase } from '../support/fake-metabase';
import { startTestApp, type TestApp } from '../support/harness';
import { ADMIN, AM, addRosterUsers, crm, ROSTER_ENV, visibleText } from '../support/lead-e2e';
import { seedLead } from '../support/seed-leads';

/** Log lines, as written. */
class LogSink extends Writable {
  readonly text: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text.push(chunk.toString());
    done();
  }
}

const CUSTOMER_EMAIL = 'layla.haddad@example.com';
const SQL_ERROR = `ERROR: column "secret_margin" does not exist\n  Position: 8\nSELECT secret_margin FROM customers WHERE email = '${CUSTOMER_EMAIL}'`;
const LEAKS = [/secret_margin/, /SELECT/, new RegExp(CUSTOMER_EMAIL.replace(/\./g, '\\.'))];
const leaksIn = (text: string) => LEAKS.filter((re) => re.test(text)).map(String);

describe('a failed Metabase card never shows its SQL or customer data outside the log', () => {
  let t: TestApp;
  let mb: FakeMetabase;
  const logs = new LogSink();
  beforeAll(async () => {
    mb = await startFakeMetabase({ apiKey: 'mb-key', customersCardId: 11, ordersCardId: 12 });
    const client = new MetabaseClient(
      {
        url: mb.url,
        auth: { kind: 'apiKey', apiKey: 'mb-key' },
        customersCardId: 11,
        ordersCardId: 12,
        timeoutMs: 2000,
      },
      createLogger('info', logs),
      undefined,
      { retry: { maxAttempts: 1 } },
    );
    t = await startTestApp({ env: ROSTER_ENV, production: client });
    addRosterUsers(t);
    await seedLead(t.deps.db.prisma, { customerId: 'K-7', name: 'Kuwait Build' });
  });
  afterAll(async () => {
    await t.stop();
    await mb.close();
  });

  it('order history, /crm sync, the Home tab and /healthz say it plainly; the log has the SQL, e-mails masked', async () => {
    mb.failNext({ kind: 'failed202', message: SQL_ERROR });
    const orders = visibleText(await crm(t, AM, 'orders K-7'));
    expect(orders).toContain('Production data unavailable');
    expect(leaksIn(orders)).toEqual([]);

    mb.failNext({ kind: 'failed202', message: SQL_ERROR });
    const before = t.slack.responses.length;
    await t.driver.crm(ADMIN, 'sync');
    // "Syncing…" at once, then the outcome.
    const sync = (await t.slack.waitForResponse(before + 2))
      .slice(before)
      .map((r) => visibleText(r.body))
      .join('\n');
    expect(sync).toMatch(/failed/i);
    expect(leaksIn(sync)).toEqual([]);

    t.slack.reset();
    await t.driver.openHome(ADMIN);
    const [home] = await t.slack.waitForCalls('views.publish');
    const homeText = visibleText(home!.args.view);
    expect(homeText).toContain('report failed in Metabase');
    expect(leaksIn(homeText)).toEqual([]);

    const res = await fetch(`${t.baseUrl}/healthz`);
    const body = await res.text();
    expect(JSON.parse(body).metabase).toEqual({
      configured: true,
      lastCall: { ok: false, at: expect.any(String), kind: 'card_failed' },
    });
    expect(leaksIn(body)).toEqual([]);

    // Every surface the app answered on, for good measure.
    const everything = JSON.stringify([
      t.slack.responses,
      t.slack.callsTo('views.publish'),
      t.slack.callsTo('chat.postMessage'),
      t.slack.callsTo('views.open'),
    ]);
    expect(leaksIn(everything)).toEqual([]);

    const log = logs.text.join('');
    expect(log).toContain('secret_margin');
    expect(log).toContain('[email]');
    expect(log).not.toContain(CUSTOMER_EMAIL);
  });
});

describe('/healthz when the database fails', () => {
  it('names the kind of failure, and logs the driver text', async () => {
    const sink = new LogSink();
    const failure = Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432 for user crm_owner'), {
      code: 'ECONNREFUSED',
    });
    const deps = {
      db: { provider: 'postgres', prisma: { $queryRawUnsafe: () => Promise.reject(failure) } },
      config: { DATABASE_URL: 'postgres://crm_owner@10.1.2.3:5432/crm' },
      production: null,
      logger: createLogger('info', sink),
    } as unknown as AppDeps;
    const report = await healthReport(deps);
    expect(report.ok).toBe(false);
    expect(report.database).toEqual({ ok: false, provider: 'postgres', kind: 'unreachable' });
    expect(JSON.stringify(report)).not.toMatch(/10\.1\.2\.3|crm_owner|ECONNREFUSED/);
    expect(sink.text.join('')).toContain('ECONNREFUSED');
  });
});
