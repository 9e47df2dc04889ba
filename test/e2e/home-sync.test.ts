import type { FakeCustomerRow } from '../support/fake-metabase';
import {
  ADMIN,
  AM,
  AM2,
  blockById,
  type HomeApp,
  lastView,
  leadNamesInStage,
  publishedViews,
  startHomeApp,
  waitForQuiet,
  waitForViews,
} from '../support/home-app';

const DAY = 86_400_000;
const NOW = new Date('2026-11-25T09:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY).toISOString();

/** 2,500 customers, every fifth also buying in a second currency: 3,000 card rows. */
function manyCustomers(n: number): FakeCustomerRow[] {
  const rows: FakeCustomerRow[] = [];
  for (let i = 1; i <= n; i++) {
    const id = `CUST${String(i).padStart(5, '0')}`;
    rows.push({
      customer_id: id,
      customer_name: `Customer ${i}`,
      company: `Company ${i}`,
      market: 'AE',
      currency: 'AED',
      order_count: 2,
      lifetime_total: `${i}.50`,
      last_order_at: daysAgo(i % 100),
    });
    if (i % 5 === 0)
      rows.push({
        customer_id: id,
        customer_name: `Customer ${i}`,
        market: 'SA',
        currency: 'SAR',
        order_count: 1,
        lifetime_total: '10.00',
        last_order_at: daysAgo(200),
      });
  }
  return rows;
}

const cardQueries = (app: HomeApp) => app.mb.requests.filter((r) => r.path.startsWith('/api/card/'));

describe('Home tab with the lead sync at scale (2,500 customers)', () => {
  let app: HomeApp;
  beforeAll(async () => {
    app = await startHomeApp({ customers: manyCustomers(2_500) });
  });
  afterAll(async () => {
    await app.stop();
  });

  it('turns 2,500 customers into 2,500 leads with one Metabase query for 20 concurrent opens, past the 2,000-row cap', async () => {
    const users = Array.from({ length: 20 }, (_, i) => (i % 2 ? AM : AM2));
    const answers = await Promise.all(users.map((u) => app.t.driver.openHome(u)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await waitForQuiet(app.t);

    const { prisma } = app.t.deps.db;
    expect(await prisma.lead.count()).toBe(2_500);
    expect(await prisma.lead.findUnique({ where: { customerId: 'CUST02500' } })).not.toBeNull();
    expect(await prisma.syncRun.count()).toBe(1);
    // One sync for all of them, through the export endpoint only (no 2,000-row cap).
    expect(cardQueries(app).map((r) => r.path)).toEqual(['/api/card/11/query/json']);

    const view = lastView(app.t.slack, AM);
    expect(blockById(view, 'stage:lead').text.text).toContain('2,500 leads');
    expect(blockById(view, 'sync_status').elements[0].text).toContain('Synced just now · 2,500 new leads');
    // Highest lifetime USD first: customer 2,500 (AED 2,500.50 + SAR 10.00).
    expect(leadNamesInStage(view, 'lead').slice(0, 2)).toEqual(['Customer 2500', 'Customer 2495']);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });

  it('creates no duplicate after a restart on the same database', async () => {
    app.clock.advance(5 * 60_000);
    await app.restart();
    app.t.slack.reset();
    await app.t.driver.openHome(AM);
    await waitForQuiet(app.t);

    const { prisma } = app.t.deps.db;
    expect(await prisma.lead.count()).toBe(2_500);
    const runs = await prisma.syncRun.findMany({ orderBy: { id: 'asc' } });
    expect(runs.map((r) => [r.status, r.created, r.updated])).toEqual([
      ['ok', 2_500, 0],
      ['ok', 0, 0],
    ]);
    expect(await prisma.activity.count({ where: { kind: 'created' } })).toBe(2_500);
  });
});

describe('Home tab and sync with a handful of customers', () => {
  let app: HomeApp;
  beforeAll(async () => {
    app = await startHomeApp({
      customers: [
        // KWD has 3 decimals and is worth ~3.26 USD: 1,000.000 KWD = $3,260.00.
        {
          customer_id: 'KW1',
          customer_name: 'Kuwait Gold',
          market: 'KW',
          currency: 'KWD',
          order_count: 1,
          lifetime_total: '1000.000',
          last_order_at: daysAgo(3),
        },
        // A bigger number in a weaker currency: 250,000.00 INR = $2,825.00.
        {
          customer_id: 'IN1',
          customer_name: 'Mumbai Bulk',
          market: 'IN',
          currency: 'INR',
          order_count: 9,
          lifetime_total: '250000.00',
          last_order_at: daysAgo(5),
        },
        {
          customer_id: 'EVIL',
          customer_name: '<!channel> Evil & Co',
          company: '<https://evil.example|click>',
          market: 'AE',
          currency: 'AED',
          order_count: 1,
          lifetime_total: '5.00',
          last_order_at: daysAgo(1),
        },
        // Last order 200 days ago: outside the 120-day window.
        {
          customer_id: 'OLD1',
          customer_name: 'Long Gone',
          market: 'AE',
          currency: 'AED',
          order_count: 4,
          lifetime_total: '99999.00',
          last_order_at: daysAgo(200),
        },
      ],
    });
  });
  afterAll(async () => {
    await app.stop();
  });

  it('publishes at once without waiting for Metabase, then republishes with the synced leads', async () => {
    // Metabase does not answer until released: the first publish can only come before it.
    const releaseMetabase = app.mb.holdAnswers();
    await app.t.driver.openHome(AM);
    const [first] = await waitForViews(app.t.slack, AM, 1);
    expect(blockById(first!, 'stage:lead').text.text).toContain('0 leads');
    expect(publishedViews(app.t.slack, AM)).toHaveLength(1);

    releaseMetabase();
    const [, second] = await waitForViews(app.t.slack, AM, 2);
    // USD across currencies decides the order: the KWD customer outranks the larger INR number.
    expect(leadNamesInStage(second!, 'lead')).toEqual(['Kuwait Gold', 'Mumbai Bulk', '&lt;!channel&gt; Evil &amp; Co']);
    expect(blockById(second!, 'stage:lead').text.text).toBe('*Lead*  ·  3 leads  ·  $6,086.36');
    await waitForQuiet(app.t);
  });

  it('does not make leads of customers outside the sync window', async () => {
    expect(await app.t.deps.db.prisma.lead.findUnique({ where: { customerId: 'OLD1' } })).toBeNull();
    expect(JSON.stringify(lastView(app.t.slack, AM))).not.toContain('Long Gone');
  });

  it('never lets a customer name ping a channel or form a link', () => {
    const json = JSON.stringify(publishedViews(app.t.slack, AM));
    expect(json).toContain('&lt;!channel&gt; Evil &amp; Co');
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<https://evil');
  });

  it('keeps the cached dashboard with a warning when Metabase is down', async () => {
    app.clock.advance(2 * 60_000);
    app.t.slack.reset();
    // The client tries twice (see home-app.ts): both fail.
    app.mb.failNext({ kind: 'http500', times: 2, message: 'database is on fire' });
    await app.t.driver.openHome(AM);
    const [cached, warned] = await waitForViews(app.t.slack, AM, 2);

    expect(leadNamesInStage(cached!, 'lead')).toHaveLength(3);
    const status = blockById(warned!, 'sync_status').elements[0].text as string;
    // 09:02 UTC is 13:02 in Dubai (the viewer's time zone).
    expect(status).toMatch(
      /^:warning: Production data unavailable since 13:02 \(.+\) — showing cached figures from 2 min ago$/,
    );
    expect(leadNamesInStage(warned!, 'lead')).toEqual(['Kuwait Gold', 'Mumbai Bulk', '&lt;!channel&gt; Evil &amp; Co']);
    await waitForQuiet(app.t);
  });

  it('lets an admin force a sync with /crm sync, and reports what it did', async () => {
    app.clock.advance(60_000);
    app.mb.setCustomers([
      {
        customer_id: 'KW1',
        customer_name: 'Kuwait Gold',
        market: 'KW',
        currency: 'KWD',
        order_count: 1,
        lifetime_total: '1000.000',
        last_order_at: daysAgo(3),
      },
      {
        customer_id: 'NEW1',
        customer_name: 'Fresh Buyer',
        market: 'QA',
        currency: 'QAR',
        order_count: 1,
        lifetime_total: '10.00',
        last_order_at: daysAgo(0),
      },
    ]);
    app.t.slack.reset();
    await app.t.driver.crm(ADMIN, 'sync');
    const replies = await app.t.slack.waitForResponse(2);
    expect(replies[1]!.body.text).toMatch(
      /^:white_check_mark: Sync done: 2 customers read, 1 new leads, 0 updated, in \d+\.\d s\.$/,
    );
    expect(await app.t.deps.db.prisma.lead.count()).toBe(4);

    app.t.slack.reset();
    await app.t.driver.crm(AM, 'sync');
    const [refusal] = await app.t.slack.waitForResponse(1);
    expect(refusal!.body.text).toBe('Only CRM admins can do that.');
    await waitForQuiet(app.t);
  });
});
