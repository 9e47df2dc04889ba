import { ManualClock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import type { Database } from '../../src/db/client';
import { type SyncDeps, syncLeadsFromProduction } from '../../src/domain/lead-sync';
import { seedDefaultRates } from '../../src/domain/rates';
import { changeRates } from '../../src/domain/revalue-figures';
import { SETTING_KEYS } from '../../src/domain/settings';
import { createLogger } from '../../src/logger';
import type { ProductionReader } from '../../src/production/types';
import { openTestDatabase, type Provider } from '../support/databases';
import { customerRow, StaticProductionReader } from '../support/static-production';

const config = loadConfig({
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 's',
  LOG_LEVEL: 'silent',
  CRM_SYNC_DAYS: '120',
});

describe.each<Provider>(['sqlite', 'postgres'])('syncLeadsFromProduction on %s', (provider) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let clock: ManualClock;
  let deps: SyncDeps;

  beforeEach(async () => {
    const t = await openTestDatabase(provider);
    db = t.db;
    cleanup = t.cleanup;
    clock = new ManualClock('2026-11-25T09:00:00Z');
    deps = { db, clock, config, logger: createLogger('silent') };
    await seedDefaultRates(db.prisma, clock);
  });
  afterEach(async () => {
    await cleanup();
  });

  it('caches each customer once with exact USD over all its currencies and creates an unowned lead', async () => {
    const production = new StaticProductionReader([
      customerRow({
        customerId: 'C1',
        customerName: 'Gulf Traders',
        company: 'Gulf Traders LLC',
        email: 'Buyer@Gulf.example',
        market: 'KW',
        currency: 'KWD',
        orderCount: 3,
        lifetimeTotal: '1000.005',
        lastOrderAt: new Date('2026-10-01T00:00:00Z'),
      }),
      customerRow({
        customerId: 'C1',
        customerName: 'Gulf Traders',
        company: 'Gulf Traders LLC',
        market: 'AE',
        currency: 'AED',
        orderCount: 2,
        lifetimeTotal: '100.00',
        lastOrderAt: new Date('2026-11-20T00:00:00Z'),
      }),
    ]);
    const run = await syncLeadsFromProduction(deps, production, { trigger: 'test' });

    expect(run).toMatchObject({ status: 'ok', fetched: 1, created: 1, updated: 0, rejected: 0, error: null });
    expect(production.calls).toEqual([{ days: 120 }]);
    const figures = await db.prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'C1' } });
    // KWD 1000.005 x 3.26 = $3,260.0163 -> 326002 cents; AED 100.00 x 0.2723 = $27.23 -> 2723 cents.
    expect(figures.lifetimeUsdCents).toBe(326_002n + 2_723n);
    expect(figures).toMatchObject({
      name: 'Gulf Traders',
      markets: 'AE,KW',
      orderCount: 5,
      unknownCurrencies: '',
      lastOrderAt: new Date('2026-11-20T00:00:00Z'),
      searchText: 'gulf traders gulf traders llc buyer@gulf.example c1',
    });
    const totals = await db.prisma.customerCurrencyTotal.findMany({
      where: { customerId: 'C1' },
      orderBy: { currency: 'asc' },
    });
    expect(totals.map((t) => [t.currency, t.lifetimeMinor])).toEqual([
      ['AED', 10_000n],
      ['KWD', 1_000_005n],
    ]);
    const lead = await db.prisma.lead.findUniqueOrThrow({ where: { customerId: 'C1' }, include: { activities: true } });
    expect(lead).toMatchObject({ stage: 'lead', ownerId: null, lastTouchAt: null });
    expect(lead.activities).toEqual([expect.objectContaining({ kind: 'created', actorId: null, isTouch: false })]);
    const saved = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: run.runId } });
    expect(saved).toMatchObject({
      trigger: 'test',
      status: 'ok',
      fetched: 1,
      created: 1,
      updated: 0,
      rejected: 0,
      error: null,
    });
    expect(saved.finishedAt).not.toBeNull();
  });

  it('writes nothing when production has not changed, and never touches stage, owner or contact of an existing lead', async () => {
    const production = new StaticProductionReader([
      customerRow({ customerId: 'C1', lifetimeTotal: '100.00' }),
      customerRow({ customerId: 'C2' }),
    ]);
    await syncLeadsFromProduction(deps, production, { trigger: 'test' });
    await db.prisma.lead.update({
      where: { customerId: 'C1' },
      data: {
        stage: 'negotiation',
        ownerId: 'U0AM00001',
        contactName: 'Rana',
        lastTouchAt: new Date('2026-11-21T00:00:00Z'),
        version: 4,
      },
    });
    const refreshedBefore = (await db.prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'C2' } }))
      .refreshedAt;

    clock.advance(60_000);
    const unchanged = await syncLeadsFromProduction(deps, production, { trigger: 'test' });
    expect(unchanged).toMatchObject({ status: 'ok', fetched: 2, created: 0, updated: 0 });
    expect((await db.prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'C2' } })).refreshedAt).toEqual(
      refreshedBefore,
    );

    production.rows[0] = customerRow({
      customerId: 'C1',
      customerName: 'Renamed',
      lifetimeTotal: '200.00',
      orderCount: 2,
    });
    const changed = await syncLeadsFromProduction(deps, production, { trigger: 'test' });
    expect(changed).toMatchObject({ created: 0, updated: 1 });
    const lead = await db.prisma.lead.findUniqueOrThrow({ where: { customerId: 'C1' }, include: { customer: true } });
    expect(lead).toMatchObject({ stage: 'negotiation', ownerId: 'U0AM00001', contactName: 'Rana', version: 4 });
    expect(lead.customer).toMatchObject({ name: 'Renamed', orderCount: 2, lifetimeUsdCents: 5446n });
    expect(await db.prisma.lead.count()).toBe(2);
  });

  it('finds nothing to write after a rate change revalued the cached figures, and picks up the next change', async () => {
    const production = new StaticProductionReader([
      customerRow({
        customerId: 'C1',
        currency: 'KWD',
        market: 'KW',
        orderCount: 3,
        lifetimeTotal: '1000.005',
        firstOrderAt: new Date('2026-01-05T00:00:00Z'),
      }),
      customerRow({ customerId: 'C1', currency: 'AED', market: 'AE', lifetimeTotal: '100.00' }),
      customerRow({ customerId: 'C2', currency: 'USD', market: 'US', lifetimeTotal: '10.00' }),
    ]);
    await syncLeadsFromProduction(deps, production, { trigger: 'test' });
    const { revalued } = await changeRates(
      db.prisma,
      [{ currency: 'KWD', usdPerUnit: '3.5', actorId: 'U0ADMIN01' }],
      clock,
    );
    expect(revalued).toBe(1);
    const revaluedFigures = await db.prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'C1' } });

    clock.advance(60_000);
    expect(await syncLeadsFromProduction(deps, production, { trigger: 'test' })).toMatchObject({
      created: 0,
      updated: 0,
    });
    expect(await db.prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'C1' } })).toEqual(revaluedFigures);

    production.rows[1] = customerRow({ customerId: 'C1', currency: 'AED', market: 'AE', lifetimeTotal: '100.01' });
    expect(await syncLeadsFromProduction(deps, production, { trigger: 'test' })).toMatchObject({ updated: 1 });
  });

  it('tells changed from unchanged customers the same way through Prisma as through the direct SQLite read', async () => {
    const production = new StaticProductionReader([
      customerRow({ customerId: 'C1', lifetimeTotal: '100.00' }),
      customerRow({ customerId: 'C2', currency: 'EUR', lifetimeTotal: '10.00' }),
      customerRow({ customerId: 'C2', currency: 'AED', lifetimeTotal: '5.00' }),
    ]);
    const viaPrisma: SyncDeps = { ...deps, db: { ...db, sqliteRawRead: undefined } };
    for (const d of [deps, viaPrisma]) {
      await db.prisma.lead.deleteMany();
      await db.prisma.customerCurrencyTotal.deleteMany();
      await db.prisma.customerFigures.deleteMany();
      production.rows[0] = customerRow({ customerId: 'C1', lifetimeTotal: '100.00' });
      expect(await syncLeadsFromProduction(d, production, { trigger: 'test' })).toMatchObject({ created: 2 });
      expect(await syncLeadsFromProduction(d, production, { trigger: 'test' })).toMatchObject({
        created: 0,
        updated: 0,
      });
      production.rows[0] = customerRow({ customerId: 'C1', lifetimeTotal: '100.01' });
      expect(await syncLeadsFromProduction(d, production, { trigger: 'test' })).toMatchObject({
        created: 0,
        updated: 1,
      });
      // A change to one currency total of a customer with two.
      production.rows[2] = customerRow({ customerId: 'C2', currency: 'AED', lifetimeTotal: '5.01' });
      expect(await syncLeadsFromProduction(d, production, { trigger: 'test' })).toMatchObject({ updated: 1 });
      production.rows[2] = customerRow({ customerId: 'C2', currency: 'AED', lifetimeTotal: '5.00' });
    }
  });

  it('marks a figure incomplete, naming the currency, for an unknown currency or an unreadable amount', async () => {
    const production = new StaticProductionReader([
      customerRow({ customerId: 'C1', currency: 'AED', lifetimeTotal: '100.00' }),
      customerRow({ customerId: 'C1', currency: 'XYZ', market: 'ZZ', lifetimeTotal: '999999.00' }),
      customerRow({ customerId: 'C2', currency: 'USD', market: 'US', lifetimeTotal: '10.00' }),
      customerRow({ customerId: 'C2', currency: 'KWD', market: 'KW', lifetimeTotal: '1.0001' }),
    ]);
    production.rejected = [{ index: 9, reason: 'customer_id: required' }];
    const run = await syncLeadsFromProduction(deps, production, { trigger: 'test' });

    expect(run).toMatchObject({ status: 'ok', fetched: 2, created: 2, rejected: 2 });
    const c1 = await db.prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'C1' } });
    expect(c1).toMatchObject({ lifetimeUsdCents: 2723n, unknownCurrencies: 'XYZ', markets: 'AE,ZZ' });
    const c2 = await db.prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'C2' } });
    expect(c2).toMatchObject({ lifetimeUsdCents: 1000n, unknownCurrencies: 'KWD' });
  });

  it('records a failed run and keeps the cached figures when production fails', async () => {
    const production = new StaticProductionReader([customerRow({ customerId: 'C1' })]);
    await syncLeadsFromProduction(deps, production, { trigger: 'test' });
    production.rows = [];
    production.failNext('Production data unavailable: Metabase timed out after 10 s');

    const run = await syncLeadsFromProduction(deps, production, { trigger: 'test' });
    expect(run).toMatchObject({
      status: 'failed',
      error: 'Production data unavailable: Metabase timed out after 10 s',
      created: 0,
    });
    const saved = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: run.runId } });
    expect(saved).toMatchObject({
      status: 'failed',
      error: 'Production data unavailable: Metabase timed out after 10 s',
    });
    expect(await db.prisma.customerFigures.count()).toBe(1);
    expect(await db.prisma.lead.count()).toBe(1);
  });

  it("uses the admin's sync window when set", async () => {
    await db.prisma.setting.create({ data: { key: SETTING_KEYS.syncDays, value: '30' } });
    const production = new StaticProductionReader([]);
    await syncLeadsFromProduction(deps, production, { trigger: 'test' });
    expect(production.calls).toEqual([{ days: 30 }]);
  });

  it('creates every lead once across chunks, even with two syncs racing on the same database', async () => {
    const rows = Array.from({ length: 1_234 }, (_, i) =>
      customerRow({ customerId: `C${i}`, lifetimeTotal: `${i}.00` }),
    );
    const production = new StaticProductionReader(rows);
    const [a, b] = await Promise.all([
      syncLeadsFromProduction(deps, production, { trigger: 'test' }),
      syncLeadsFromProduction(deps, production, { trigger: 'test' }),
    ]);
    expect(a.created + b.created).toBe(1_234);
    expect(await db.prisma.lead.count()).toBe(1_234);
    expect(await db.prisma.activity.count({ where: { kind: 'created' } })).toBe(1_234);
    expect(await db.prisma.customerFigures.count()).toBe(1_234);
  });

  it('lets the event loop turn while it works (SQLite queries alone never do), so Slack requests are not held up', async () => {
    const rows = Array.from({ length: 2_500 }, (_, i) =>
      customerRow({ customerId: `C${i}`, lifetimeTotal: `${i}.00` }),
    );
    const production = new StaticProductionReader(rows);
    const events: string[] = [];
    // Queued once the data is in hand: only a yield inside the sync's own work lets it run before the end.
    const reader: ProductionReader = {
      fetchCustomers: async (days) => {
        const card = await production.fetchCustomers(days);
        setImmediate(() => events.push('turn'));
        return card;
      },
      fetchOrders: () => production.fetchOrders(),
      lastCall: () => production.lastCall(),
    };
    const sync = syncLeadsFromProduction(deps, reader, { trigger: 'test' }).then((run) => {
      events.push('done');
      return run;
    });
    expect(await sync).toMatchObject({ status: 'ok', created: 2_500 });
    expect(events).toEqual(['turn', 'done']);
  });
});
