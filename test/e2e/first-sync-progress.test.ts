import { formatUsd } from '../../src/common/money';
import { SYNC_CHUNK_SIZE } from '../../src/domain/lead-sync';
import type { FakeCustomerRow } from '../support/fake-metabase';
import { AM, blockById, type HomeApp, lastView, publishedViews, startHomeApp, waitForQuiet } from '../support/home-app';

const DAY = 86_400_000;
const NOW = new Date('2026-11-25T09:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY).toISOString();
const CUSTOMERS = 2_500;
const idOf = (i: number) => `CUST${String(i).padStart(5, '0')}`;

/** Customers 1…n in this order, every fifth also buying in a second currency. */
function manyCustomers(n: number): FakeCustomerRow[] {
  const rows: FakeCustomerRow[] = [];
  for (let i = 1; i <= n; i++) {
    rows.push({
      customer_id: idOf(i),
      customer_name: `Customer ${i}`,
      market: 'AE',
      currency: 'AED',
      order_count: 2,
      lifetime_total: `${i}.50`,
      last_order_at: daysAgo(i % 100),
    });
    if (i % 5 === 0)
      rows.push({
        customer_id: idOf(i),
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

const statusOf = (view: ReturnType<typeof lastView>) => blockById(view, 'sync_status').elements[0].text as string;
const leadHeading = (view: ReturnType<typeof lastView>) => blockById(view, 'stage:lead').text.text as string;

/** The USD total of these customers' figures as the database holds them now. */
async function usdOf(app: HomeApp, customerIds: string[]): Promise<string> {
  const figures = await app.t.deps.db.prisma.customerFigures.findMany({ where: { customerId: { in: customerIds } } });
  return formatUsd(figures.reduce((sum, f) => sum + f.lifetimeUsdCents, 0n));
}

const firstChunkIds = Array.from({ length: SYNC_CHUNK_SIZE }, (_, i) => idOf(i + 1));

describe('the first sync (an import) shown on Home as it goes', () => {
  let app: HomeApp;
  afterEach(async () => {
    await app.stop();
  });

  it('publishes Home with the first chunk of leads, saying how far the import is, then with the whole', async () => {
    app = await startHomeApp({ customers: manyCustomers(CUSTOMERS) });
    await app.t.driver.openHome(AM);
    await waitForQuiet(app.t);

    // Empty at once; the first chunk while the import goes on (the clock stands still, so no
    // round in between); the whole at the end.
    const [empty, partial, whole, ...more] = publishedViews(app.t.slack, AM);
    expect(more).toEqual([]);
    expect(leadHeading(empty!)).toContain('0 leads');

    expect(statusOf(partial!)).toBe(
      ':hourglass_flowing_sand: Importing customers from production: 1,000 of 2,500 so far. ' +
        'The leads and totals below count only those; the rest are on their way.',
    );
    // Exactly the first chunk, each with the figures it ends up with: no money shown that changes later.
    expect(leadHeading(partial!)).toBe(`*Lead*  ·  1,000 leads  ·  ${await usdOf(app, firstChunkIds)}`);

    expect(statusOf(whole!)).toBe(':white_check_mark: Synced just now · 2,500 new leads');
    expect(leadHeading(whole!)).toContain('2,500 leads');
    expect(await app.t.deps.db.prisma.lead.count()).toBe(CUSTOMERS);
    expect(await app.t.deps.db.prisma.activity.count({ where: { kind: 'created' } })).toBe(CUSTOMERS);
  });

  it('after a failure midway keeps what it wrote whole, says so on Home, and the next sync completes it once', async () => {
    app = await startHomeApp({ customers: manyCustomers(CUSTOMERS) });
    const { prisma } = app.t.deps.db;
    // The database refuses a customer of the second chunk (a disk or constraint failure there).
    await prisma.$executeRawUnsafe(
      `CREATE TRIGGER fail_midway BEFORE INSERT ON "CustomerFigures" WHEN new."customerId" = '${idOf(1_500)}'
       BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`,
    );
    await app.t.driver.openHome(AM);
    await waitForQuiet(app.t);

    const failed = lastView(app.t.slack, AM);
    expect(statusOf(failed)).toMatch(
      /^:warning: Production data unavailable since 13:00 \(.+\) — the import stopped partway \(1,000 new leads of 2,500 customers read\): the leads shown are complete, the rest come with the next sync$/,
    );
    // The first chunk whole (figures, currency totals, lead, its one "created" activity); nothing of the second.
    expect(leadHeading(failed)).toBe(`*Lead*  ·  1,000 leads  ·  ${await usdOf(app, firstChunkIds)}`);
    expect(await prisma.lead.count()).toBe(1_000);
    expect(await prisma.customerFigures.count()).toBe(1_000);
    expect(await prisma.customerCurrencyTotal.count()).toBe(1_200);
    expect(await prisma.activity.count({ where: { kind: 'created' } })).toBe(1_000);
    expect(await prisma.lead.findUnique({ where: { customerId: idOf(1_001) } })).toBeNull();

    // Fixed; after the back-off the next open imports the rest, each lead once.
    await prisma.$executeRawUnsafe('DROP TRIGGER fail_midway');
    app.clock.advance(60_000);
    app.t.slack.reset();
    await app.t.driver.openHome(AM);
    await waitForQuiet(app.t);
    const views = publishedViews(app.t.slack, AM);
    // The first chunk was written already: the retry's first write is the second chunk.
    expect(views.map(statusOf).slice(1, -1)).toEqual([expect.stringContaining('2,000 of 2,500 so far')]);
    expect(statusOf(views.at(-1)!)).toBe(':white_check_mark: Synced just now · 1,500 new leads');
    expect(leadHeading(views.at(-1)!)).toContain('2,500 leads');
    expect(await prisma.lead.count()).toBe(CUSTOMERS);
    expect(await prisma.activity.count({ where: { kind: 'created' } })).toBe(CUSTOMERS);
  });
});
