import { createLogger } from '../../src/logger';
import { MetabaseClient } from '../../src/production/metabase-client';
import { ACTION_IDS } from '../../src/slack/views/action-ids';
import { type FakeMetabase, startFakeMetabase } from '../support/fake-metabase';
import { startTestApp, type TestApp } from '../support/harness';
import { AM, addRosterUsers, crm, MANAGER, ROSTER_ENV, visibleText } from '../support/lead-e2e';
import { seedLead } from '../support/seed-leads';

describe('/crm orders and the Orders button, with a fake Metabase', () => {
  let t: TestApp;
  let mb: FakeMetabase;
  let client: MetabaseClient;
  let kuwaitLead: number;
  beforeAll(async () => {
    mb = await startFakeMetabase({ apiKey: 'mb-key', customersCardId: 11, ordersCardId: 12 });
    client = new MetabaseClient(
      {
        url: mb.url,
        auth: { kind: 'apiKey', apiKey: 'mb-key' },
        customersCardId: 11,
        ordersCardId: 12,
        timeoutMs: 2000,
      },
      createLogger('silent'),
      undefined,
      { retry: { maxAttempts: 1 } },
    );
    t = await startTestApp({ env: ROSTER_ENV, production: client });
    addRosterUsers(t);
    kuwaitLead = await seedLead(t.deps.db.prisma, { customerId: 'K-7', name: 'Kuwait <b>Build</b> & Co' });
    mb.setOrders('K-7', [
      {
        order_id: 'O-1',
        created_at: '2026-10-01T08:00:00Z',
        market: 'KW',
        currency: 'KWD',
        total: '100.125',
        status: 'delivered',
      },
      {
        order_id: 'O-3',
        created_at: '2026-11-20T08:00:00Z',
        market: 'AE',
        currency: 'AED',
        total: '367.25',
        status: '<shipped>',
      },
      {
        order_id: 'O-2',
        created_at: '2026-11-01T08:00:00Z',
        market: 'KW',
        currency: 'KWD',
        total: '0.875',
        status: 'delivered',
      },
      {
        order_id: 'O-4',
        created_at: '2026-09-01T08:00:00Z',
        market: 'XX',
        currency: 'XYZ',
        total: '10.00',
        status: 'delivered',
      },
    ]);
  });
  afterAll(async () => {
    await t.stop();
    await mb.close();
  });
  beforeEach(() => t.slack.reset());

  it('lists orders newest first with local amount, USD and status, totals per currency and in USD, and each rate used', async () => {
    const text = visibleText(await crm(t, MANAGER, 'orders K-7'));
    expect(text).toContain('*Kuwait &lt;b&gt;Build&lt;/b&gt; &amp; Co* · `K-7`: 4 orders, newest first');
    const order = (id: string) => text.indexOf(`\`${id}\``);
    expect(order('O-3')).toBeLessThan(order('O-2'));
    expect(order('O-2')).toBeLessThan(order('O-1'));
    expect(order('O-1')).toBeLessThan(order('O-4'));
    // 367.25 AED at 0.2723 = $100.00 (100.002 rounded half-up); KWD 100.125 at 3.26 = $326.41.
    expect(text).toContain('AED 367.25 · $100.00 · _&lt;shipped&gt;_');
    expect(text).toContain('KWD 100.125 · $326.41 · _delivered_');
    expect(text).toContain('no USD rate for XYZ');
    // KWD 101.000 at 3.26 = $329.26.
    expect(text).toContain('• KWD 101.000 ($329.26) over 2 orders');
    expect(text).toContain('*Total in USD: $429.26+ (incomplete: XYZ not converted)*');
    // Each rate used, exactly and with its date, so the figures can be redone by hand.
    expect(text).toContain('USD at 1 AED = $0.2723 (2025-11-24) · 1 KWD = $3.2600 (2025-11-24).');
  });

  it('says plainly when Metabase fails, and the Orders button answers under the card', async () => {
    mb.failNext({ kind: 'failed202', message: 'Table "orders" is locked' });
    const failed = visibleText(await crm(t, AM, 'orders K-7'));
    expect(failed).toContain('Production data unavailable');
    expect(failed).toContain('cannot be shown right now');
    const before = t.slack.responses.length;
    await t.driver.blockAction(
      AM,
      { action_id: ACTION_IDS.viewOrders, value: String(kuwaitLead) },
      { type: 'message', is_ephemeral: true },
    );
    const answers = await t.slack.waitForResponse(before + 1);
    expect(visibleText(answers[before]!.body)).toContain('4 orders, newest first');
  });

  it('from the Home tab, opens a loading modal at once and fills it when Metabase answers', async () => {
    await t.driver.blockAction(
      AM,
      { type: 'overflow', action_id: ACTION_IDS.leadOverflow, selected_option: { value: `orders:${kuwaitLead}` } },
      { type: 'view', view_id: 'VHOME' },
    );
    const [open] = await t.slack.waitForCalls('views.open');
    expect(visibleText(open!.args.view)).toContain('Loading orders');
    const [update] = await t.slack.waitForCalls('views.update');
    expect(update!.args.view_id).toBeTruthy();
    expect(visibleText(update!.args.view)).toContain('Total in USD');
  });

  it('asks for a customer, and says which one is unknown', async () => {
    expect(visibleText(await crm(t, AM, 'orders'))).toContain('Say which customer');
    expect(visibleText(await crm(t, AM, 'orders nobody'))).toContain('No lead matches “nobody”');
  });
});

describe('/crm orders without Metabase', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: ROSTER_ENV });
    addRosterUsers(t);
    await seedLead(t.deps.db.prisma, { customerId: 'N-1', name: 'No Production' });
  });
  afterAll(async () => t.stop());

  it('says production is not configured', async () => {
    expect(visibleText(await crm(t, AM, 'orders N-1'))).toContain('Metabase, which is not configured here');
  });
});
