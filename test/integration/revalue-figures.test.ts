import { openTestDatabase } from '../support/databases';
import { seedLead } from '../support/seed-leads';
import { seedDefaultRates, updateRate } from '../../src/domain/rates';
import { revalueCustomerFigures } from '../../src/domain/revalue-figures';
import { ManualClock } from '../../src/clock';

describe('revaluing cached customer figures after a rate change', () => {
  it('recomputes lifetime USD exactly from the stored per-currency totals, keeps unknown currencies, and leaves other customers alone', async () => {
    const { db, cleanup } = await openTestDatabase('sqlite');
    const clock = new ManualClock('2026-11-25T10:00:00Z');
    const { prisma } = db;
    try {
      await seedDefaultRates(prisma, clock);
      // Gulf: KWD 1,000.500 and USD 10.00, plus an amount in a currency the sync could not read.
      await seedLead(prisma, { customerId: 'GULF', name: 'Gulf Traders', lifetimeUsdCents: 0n, unknownCurrencies: 'XYZ' });
      await prisma.customerCurrencyTotal.createMany({
        data: [
          { customerId: 'GULF', currency: 'KWD', market: 'KW', orderCount: 3, lifetimeMinor: 1_000_500n },
          { customerId: 'GULF', currency: 'USD', market: 'US', orderCount: 1, lifetimeMinor: 1_000n },
        ],
      });
      await seedLead(prisma, { customerId: 'CAIRO', name: 'Cairo Foods', lifetimeUsdCents: 4_12n });
      await prisma.customerCurrencyTotal.create({ data: { customerId: 'CAIRO', currency: 'EGP', market: 'EG', orderCount: 1, lifetimeMinor: 20_000n } });

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
