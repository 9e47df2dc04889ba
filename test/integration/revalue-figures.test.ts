import { ManualClock } from '../../src/clock';
import { type CustomerSnapshot, writeCustomerSnapshots } from '../../src/domain/lead-sync';
import { getRates, seedDefaultRates, updateRate } from '../../src/domain/rates';
import { changeRates, revalueCustomerFigures } from '../../src/domain/revalue-figures';
import { openTestDatabase, type Provider } from '../support/databases';
import { seedLead } from '../support/seed-leads';

describe('revaluing cached customer figures after a rate change', () => {
  it('recomputes lifetime USD exactly from the stored per-currency totals, keeps unknown currencies, and leaves other customers alone', async () => {
    const { db, cleanup } = await openTestDatabase('sqlite');
    const clock = new ManualClock('2026-11-25T10:00:00Z');
    const { prisma } = db;
    try {
      await seedDefaultRates(prisma, clock);
      // Gulf: KWD 1,000.500 and USD 10.00, plus an amount in a currency the sync could not read.
      await seedLead(prisma, {
        customerId: 'GULF',
        name: 'Gulf Traders',
        lifetimeUsdCents: 0n,
        unknownCurrencies: 'XYZ',
      });
      await prisma.customerCurrencyTotal.createMany({
        data: [
          { customerId: 'GULF', currency: 'KWD', market: 'KW', orderCount: 3, lifetimeMinor: 1_000_500n },
          { customerId: 'GULF', currency: 'USD', market: 'US', orderCount: 1, lifetimeMinor: 1_000n },
        ],
      });
      await seedLead(prisma, { customerId: 'CAIRO', name: 'Cairo Foods', lifetimeUsdCents: 4_12n });
      await prisma.customerCurrencyTotal.create({
        data: { customerId: 'CAIRO', currency: 'EGP', market: 'EG', orderCount: 1, lifetimeMinor: 20_000n },
      });

      clock.set('2026-11-26T08:00:00Z');
      await updateRate(prisma, { currency: 'KWD', usdPerUnit: '3.25', actorId: 'U0ADMIN01' }, clock);
      expect(await revalueCustomerFigures(prisma, ['KWD'])).toBe(1);

      const gulf = await prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'GULF' } });
      // 1,000.500 KWD x 3.25 = 3,251.625 USD -> 325,163 cents (half-up), + 1,000 cents.
      expect(gulf.lifetimeUsdCents).toBe(325_163n + 1_000n);
      expect(gulf.unknownCurrencies).toBe('XYZ');
      // The figure rests on the default USD rate too: the older date is the one shown.
      expect(gulf.rateDate?.toISOString().slice(0, 10)).toBe('2025-11-24');
      const cairo = await prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'CAIRO' } });
      expect(cairo.lifetimeUsdCents).toBe(4_12n);
    } finally {
      await cleanup();
    }
  });
});

describe.each<Provider>(['sqlite', 'postgres'])('rate changes are all or nothing on %s', (provider) => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  const clock = new ManualClock('2026-11-25T10:00:00Z');
  beforeAll(async () => {
    handle = await openTestDatabase(provider);
    const { prisma } = handle.db;
    await seedDefaultRates(prisma, clock);
    await seedLead(prisma, { customerId: 'GULF', name: 'Gulf Traders', lifetimeUsdCents: 0n });
    await prisma.customerCurrencyTotal.create({
      data: { customerId: 'GULF', currency: 'KWD', market: 'KW', orderCount: 1, lifetimeMinor: 1_000n },
    });
  });
  afterAll(async () => handle.cleanup());

  async function failFigureUpdates(on: boolean): Promise<void> {
    const run = (sql: string) => handle.db.prisma.$executeRawUnsafe(sql);
    if (provider === 'sqlite') {
      await run(
        on
          ? `CREATE TRIGGER fail_figures BEFORE UPDATE ON "CustomerFigures" BEGIN SELECT RAISE(ABORT, 'figures refused'); END`
          : 'DROP TRIGGER fail_figures',
      );
    } else if (on) {
      await run(
        `CREATE FUNCTION fail_figures() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'figures refused'; END $$ LANGUAGE plpgsql`,
      );
      await run(
        `CREATE TRIGGER fail_figures BEFORE UPDATE ON "CustomerFigures" FOR EACH ROW EXECUTE FUNCTION fail_figures()`,
      );
    } else {
      await run(`DROP TRIGGER fail_figures ON "CustomerFigures"`);
      await run(`DROP FUNCTION fail_figures()`);
    }
  }

  it('a revaluation that fails leaves the rate, its audit entry and the figures as they were', async () => {
    const { prisma } = handle.db;
    await failFigureUpdates(true);
    try {
      await expect(
        changeRates(prisma, [{ currency: 'KWD', usdPerUnit: '9', actorId: 'U0ADMIN01' }], clock),
      ).rejects.toThrow();
    } finally {
      await failFigureUpdates(false);
    }
    expect((await prisma.currencyRate.findUniqueOrThrow({ where: { currency: 'KWD' } })).usdPerUnit).toBe('3.26');
    expect(await prisma.auditEntry.count({ where: { setting: 'rate:KWD' } })).toBe(0);
    expect((await prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'GULF' } })).lifetimeUsdCents).toBe(
      0n,
    );

    // The same change with the database healthy: rate and figure together (1.000 KWD x 9 = 9 USD).
    const saved = await changeRates(prisma, [{ currency: 'KWD', usdPerUnit: '9', actorId: 'U0ADMIN01' }], clock);
    expect(saved.revalued).toBe(1);
    expect((await prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'GULF' } })).lifetimeUsdCents).toBe(
      9_00n,
    );
  });

  it('a sync built at rates an admin changed since writes its figures at the new rates', async () => {
    const { prisma } = handle.db;
    const old = await getRates(prisma);
    await changeRates(prisma, [{ currency: 'KWD', usdPerUnit: '2', actorId: 'U0ADMIN01' }], clock);
    const stale: CustomerSnapshot = {
      figures: {
        ...(await prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'GULF' } })),
        orderCount: 2,
        lifetimeUsdCents: 99_00n,
      },
      totals: [
        { customerId: 'GULF', currency: 'KWD', market: 'KW', orderCount: 2, lifetimeMinor: 3_000n, lastOrderAt: null },
      ],
    };
    await writeCustomerSnapshots(handle.db, [stale], clock.now(), undefined, old);
    // 3.000 KWD x 2 = 6 USD, not the 99 USD computed at the old rate.
    expect((await prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'GULF' } })).lifetimeUsdCents).toBe(
      6_00n,
    );
  });
});
