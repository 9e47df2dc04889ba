import { ManualClock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import type { Database } from '../../src/db/client';
import { type SyncDeps, syncLeadsFromProduction } from '../../src/domain/lead-sync';
import { seedDefaultRates } from '../../src/domain/rates';
import { createLogger } from '../../src/logger';
import { createProductionReader, type MetabaseClient } from '../../src/production/metabase-client';
import { openTestDatabase, type Provider } from '../support/databases';
import { type FakeCustomerRow, type FakeMetabase, startFakeMetabase } from '../support/fake-metabase';

/**
 * The lead sync through the Metabase client: the export's bytes go to the sync's worker
 * thread, which parses them, adds them up per customer and (on SQLite) compares them with
 * the cache; this thread writes what changed. What a user sees must be what the sync did
 * before it had a worker.
 */
const NOW = new Date('2026-11-25T09:00:00Z');
const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's', LOG_LEVEL: 'silent' });

function customers(n: number): FakeCustomerRow[] {
  return Array.from({ length: n }, (_, i) => ({
    customer_id: `W${String(i + 1).padStart(5, '0')}`,
    customer_name: `Worker Customer ${i + 1}`,
    company: i % 3 === 0 ? null : `Company ${i + 1}`,
    email: null,
    phone: null,
    market: 'AE',
    currency: 'AED',
    order_count: 1 + (i % 4),
    lifetime_total: `${100 + i}.50`,
    last_order_at: '2026-11-20T00:00:00Z',
  }));
}

describe.each<Provider>(['sqlite', 'postgres'])('lead sync through its worker thread, on %s', (provider) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let mb: FakeMetabase;
  let client: MetabaseClient;
  let deps: SyncDeps;

  beforeEach(async () => {
    ({ db, cleanup } = await openTestDatabase(provider));
    const clock = new ManualClock(NOW);
    await seedDefaultRates(db.prisma, clock);
    mb = await startFakeMetabase({ apiKey: 'k', customersCardId: 11, ordersCardId: 12, now: () => NOW });
    const logger = createLogger('silent');
    client = createProductionReader(
      { url: mb.url, auth: { kind: 'apiKey', apiKey: 'k' }, customersCardId: 11, ordersCardId: 12, timeoutMs: 10_000 },
      logger,
      clock,
      { retry: { baseDelayMs: 1 } },
    );
    deps = { db, clock, logger, config };
  });

  afterEach(async () => {
    await client.close();
    await mb.close();
    await cleanup();
  });

  it('creates every customer past the 2,000-row cap once, then finds nothing to write, then only what changed', async () => {
    const rows = customers(2_500);
    mb.setCustomers(rows);

    const first = await syncLeadsFromProduction(deps, client, { trigger: 'test' });
    expect(first).toMatchObject({ status: 'ok', fetched: 2_500, created: 2_500, updated: 0, rejected: 0 });
    expect(await db.prisma.lead.count()).toBe(2_500);
    const one = await db.prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'W02001' } });
    // 2,100.50 AED at the default rate.
    expect(one).toMatchObject({ name: 'Worker Customer 2001', orderCount: 1, unknownCurrencies: '' });

    const again = await syncLeadsFromProduction(deps, client, { trigger: 'test' });
    expect(again).toMatchObject({ status: 'ok', fetched: 2_500, created: 0, updated: 0 });

    rows[1_999] = { ...rows[1_999]!, lifetime_total: '999999.00', customer_name: 'Renamed Customer' };
    mb.setCustomers(rows);
    const changed = await syncLeadsFromProduction(deps, client, { trigger: 'test' });
    expect(changed).toMatchObject({ status: 'ok', created: 0, updated: 1 });
    expect(await db.prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'W02000' } })).toMatchObject({
      name: 'Renamed Customer',
    });
    expect(await db.prisma.activity.count({ where: { kind: 'created' } })).toBe(2_500);
  });

  it('records a failed query as a failed run with its words, and the next sync succeeds', async () => {
    mb.setCustomers(customers(10));
    mb.failNext({ kind: 'failed202', message: 'column "x" does not exist' });

    const failed = await syncLeadsFromProduction(deps, client, { trigger: 'test' });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/the report failed in Metabase/);
    expect(await db.prisma.lead.count()).toBe(0);

    const next = await syncLeadsFromProduction(deps, client, { trigger: 'test' });
    expect(next).toMatchObject({ status: 'ok', created: 10 });
  });

  it('reads the export again from the top when its body stalls, counting each customer once', async () => {
    mb.setCustomers(customers(3_000));
    mb.failNext({ kind: 'stalledBody', delayMs: 60_000 });
    const impatient = createProductionReader(
      { url: mb.url, auth: { kind: 'apiKey', apiKey: 'k' }, customersCardId: 11, ordersCardId: 12, timeoutMs: 3_000 },
      deps.logger,
      deps.clock,
      { retry: { baseDelayMs: 1 } },
    );
    try {
      const run = await syncLeadsFromProduction(deps, impatient, { trigger: 'test' });
      expect(run).toMatchObject({ status: 'ok', fetched: 3_000, created: 3_000 });
      expect(await db.prisma.lead.count()).toBe(3_000);
    } finally {
      await impatient.close();
    }
  });
});
