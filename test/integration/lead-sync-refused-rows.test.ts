import { Writable } from 'node:stream';
import { ManualClock } from '../../src/clock';
import { splitList } from '../../src/common/lists';
import { loadConfig } from '../../src/config';
import type { Database } from '../../src/db/client';
import { type SyncDeps, syncLeadsFromProduction } from '../../src/domain/lead-sync';
import { seedDefaultRates } from '../../src/domain/rates';
import { createLogger } from '../../src/logger';
import { createProductionReader, type MetabaseClient } from '../../src/production/metabase-client';
import { usdText } from '../../src/slack/views/lead-format';
import { openTestDatabase, type Provider } from '../support/databases';
import { type FakeCustomerRow, type FakeMetabase, startFakeMetabase } from '../support/fake-metabase';

const CUSTOMERS = 11;
const ORDERS = 12;
const NOW = new Date('2026-11-25T09:00:00Z');

const config = loadConfig({
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 's',
  LOG_LEVEL: 'silent',
  CRM_SYNC_DAYS: '120',
});

function row(overrides: Partial<FakeCustomerRow>): FakeCustomerRow {
  return {
    customer_id: 'C1',
    customer_name: 'Gulf Traders',
    company: null,
    email: 'buyer@gulf.example',
    phone: '+971 50 123 4567',
    market: 'AE',
    currency: 'AED',
    order_count: 2,
    lifetime_total: '100.00',
    last_order_at: '2026-11-20T00:00:00Z',
    ...overrides,
  };
}

/** Log lines written, as raw text and parsed. */
class LogSink extends Writable {
  text = '';
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    for (const line of chunk.toString().split('\n').filter(Boolean))
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
}

describe.each<Provider>(['sqlite', 'postgres'])('lead sync with rows the Customers card refuses, on %s', (provider) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let mb: FakeMetabase;
  let client: MetabaseClient;
  let logs: LogSink;
  let deps: SyncDeps;

  beforeEach(async () => {
    const t = await openTestDatabase(provider);
    db = t.db;
    cleanup = t.cleanup;
    const clock = new ManualClock(NOW);
    logs = new LogSink();
    const logger = createLogger('info', logs);
    deps = { db, clock, config, logger };
    await seedDefaultRates(db.prisma, clock);
    mb = await startFakeMetabase({ apiKey: 'k', customersCardId: CUSTOMERS, ordersCardId: ORDERS, now: () => NOW });
    client = createProductionReader(
      {
        url: mb.url,
        auth: { kind: 'apiKey', apiKey: 'k' },
        customersCardId: CUSTOMERS,
        ordersCardId: ORDERS,
        timeoutMs: 2_000,
      },
      logger,
      clock,
      { retry: { baseDelayMs: 5, maxDelayMs: 20 } },
    );
  });
  afterEach(async () => {
    await client.close();
    await mb.close();
    await cleanup();
  });

  it('counts the readable rows of a customer and marks its figure incomplete, naming the refused row’s currency', async () => {
    mb.setCustomers([
      row({ currency: 'AED', lifetime_total: '100.00' }),
      // Too many decimals for USD: the card's schema refuses the row.
      row({ currency: 'USD', market: 'US', lifetime_total: '17.123' }),
    ]);
    const run = await syncLeadsFromProduction(deps, client, { trigger: 'test' });

    expect(run).toMatchObject({ status: 'ok', fetched: 1, created: 1, rejected: 1 });
    const lead = await db.prisma.lead.findUniqueOrThrow({ where: { customerId: 'C1' }, include: { customer: true } });
    // 100 AED at the default rate; the USD row is named, not counted as zero.
    expect(lead.customer).toMatchObject({ lifetimeUsdCents: 2723n, unknownCurrencies: 'USD', markets: 'AE' });
    expect(await db.prisma.customerCurrencyTotal.findMany({ where: { customerId: 'C1' } })).toEqual([
      expect.objectContaining({ currency: 'AED', lifetimeMinor: 10000n }),
    ]);
    expect(usdText(lead.customer.lifetimeUsdCents, splitList(lead.customer.unknownCurrencies))).toBe(
      '$27.23+ (incomplete: USD not converted)',
    );

    const refusal = logs.lines.find((l) => l.msg === 'Metabase row rejected: it does not fit the card schema');
    expect(refusal).toMatchObject({
      customerId: 'C1',
      currency: 'USD',
      reason: expect.stringContaining('lifetime_total'),
    });
    expect(logs.lines.some((l) => l.customersIncomplete === 1)).toBe(true);
    expect(logs.text).not.toContain('buyer@gulf.example');
    expect(logs.text).not.toContain('123 4567');
  });

  it('says "a row that could not be read" when the refused row’s currency does not read either', async () => {
    mb.setCustomers([row({ currency: 'AED', lifetime_total: '100.00' })]);
    mb.setRawRows('customers', [{ ...row({}), currency: 'US DOLLARS', lifetime_total: 'n/a' }]);
    const run = await syncLeadsFromProduction(deps, client, { trigger: 'test' });

    expect(run).toMatchObject({ status: 'ok', fetched: 1, created: 1, rejected: 1 });
    const figures = await db.prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'C1' } });
    expect(figures).toMatchObject({ lifetimeUsdCents: 2723n, unknownCurrencies: '?' });
    expect(usdText(figures.lifetimeUsdCents, splitList(figures.unknownCurrencies))).toBe(
      '$27.23+ (incomplete: a row that could not be read)',
    );
  });

  it('logs and counts a refused row without a readable customer id, and changes nothing else', async () => {
    mb.setCustomers([row({ currency: 'AED', lifetime_total: '100.00' })]);
    mb.setRawRows('customers', [{ ...row({ customer_id: 'C9' }), customer_id: '   ', lifetime_total: '5.555' }]);
    const run = await syncLeadsFromProduction(deps, client, { trigger: 'test' });

    expect(run).toMatchObject({ status: 'ok', fetched: 1, created: 1, rejected: 1 });
    expect(await db.prisma.customerFigures.findMany({ select: { customerId: true, unknownCurrencies: true } })).toEqual(
      [{ customerId: 'C1', unknownCurrencies: '' }],
    );
    const c1 = await db.prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'C1' } });
    expect(c1.lifetimeUsdCents).toBe(2723n);
    expect(logs.lines.find((l) => l.msg === 'Metabase row rejected: it does not fit the card schema')).toMatchObject({
      reason: expect.stringContaining('customer_id'),
    });
    expect(logs.lines.some((l) => l.withoutCustomerId === 1)).toBe(true);
    expect(logs.text).not.toContain('buyer@gulf.example');
  });
});
