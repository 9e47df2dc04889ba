import { CustomerSnapshotBuilder } from '../../src/domain/customer-snapshots';
import { buildCustomerSnapshots } from '../../src/domain/lead-sync';
import { defaultRateTable } from '../../src/domain/rates';
import { customerRow } from '../support/static-production';

const rates = defaultRateTable();
const day = (d: string) => new Date(`2026-${d}T00:00:00Z`);

describe('the snapshots the sync makes from the Customers card', () => {
  it("adds up each customer's rows wherever they come in the export, newest contact field by field", async () => {
    const { snapshots } = await buildCustomerSnapshots(
      [
        customerRow({ customerId: 'C1', customerName: 'Old Name', email: 'old@c1.example', lastOrderAt: day('10-01') }),
        customerRow({
          customerId: 'C2',
          customerName: 'Second',
          currency: 'SAR',
          market: 'SA',
          lifetimeTotal: '10.00',
        }),
        // Newer: its name wins; it has no email, so the older row's stays.
        customerRow({
          customerId: 'C1',
          customerName: 'New Name',
          email: null,
          phone: '+971 50 000 0000',
          currency: 'KWD',
          market: 'KW',
          lifetimeTotal: '1.005',
          orderCount: 2,
          lastOrderAt: day('11-01'),
        }),
        // The same currency twice adds up.
        customerRow({ customerId: 'C1', lifetimeTotal: '0.50', orderCount: 4, lastOrderAt: day('09-01') }),
      ],
      rates,
    );
    expect(snapshots.map((s) => s.figures.customerId)).toEqual(['C1', 'C2']);
    const c1 = snapshots[0]!;
    expect(c1.figures).toMatchObject({
      name: 'New Name',
      email: 'old@c1.example',
      phone: '+971 50 000 0000',
      markets: 'AE,KW',
      orderCount: 7,
      lastOrderAt: day('11-01'),
    });
    expect(c1.totals.map((t) => [t.currency, t.market, t.orderCount, t.lifetimeMinor, t.lastOrderAt])).toEqual([
      ['AED', 'AE', 5, 10_050n, day('10-01')],
      ['KWD', 'KW', 2, 1_005n, day('11-01')],
    ]);
    expect(snapshots[1]!.figures).toMatchObject({ name: 'Second', markets: 'SA', orderCount: 1 });
  });

  it('keeps names exactly as production spells them, emoji and every script included', async () => {
    const names = ['Café Ünïcode', 'شركة الخليج', '🚀 Rocket Trading', 'Broken \ud800 half', '株式会社'];
    const { snapshots } = await buildCustomerSnapshots(
      names.map((customerName, i) => customerRow({ customerId: `C${i}`, customerName, company: `${customerName} Co` })),
      rates,
    );
    expect(snapshots.map((s) => [s.figures.name, s.figures.company])).toEqual(names.map((n) => [n, `${n} Co`]));
  });

  it('keeps a lifetime total exact beyond what 64 bits of minor units hold', async () => {
    const huge = '92233720368547758.07'; // 2^63 - 1 cents
    const { snapshots } = await buildCustomerSnapshots(
      [
        customerRow({ customerId: 'C1', currency: 'USD', market: 'US', lifetimeTotal: huge }),
        customerRow({ customerId: 'C1', currency: 'USD', market: 'US', lifetimeTotal: '0.02' }),
      ],
      rates,
    );
    expect(snapshots[0]!.totals[0]!.lifetimeMinor).toBe(2n ** 63n + 1n);
    expect(snapshots[0]!.figures.lifetimeUsdCents).toBe(2n ** 63n + 1n);
  });

  it('knows the first order only while every row of a currency has one', async () => {
    const { snapshots } = await buildCustomerSnapshots(
      [
        customerRow({ customerId: 'C1', firstOrderAt: day('03-01') }),
        customerRow({ customerId: 'C1', firstOrderAt: day('02-01') }),
        customerRow({ customerId: 'C2', firstOrderAt: day('03-01') }),
        customerRow({ customerId: 'C2', firstOrderAt: null }),
      ],
      rates,
    );
    expect(snapshots.map((s) => s.figures.firstOrderAt)).toEqual([day('02-01'), null]);
  });

  it('forgets what it read when the card is read again from the top', () => {
    const builder = new CustomerSnapshotBuilder();
    builder.add(customerRow({ customerId: 'C1', customerName: 'Before' }));
    builder.clear();
    builder.add(customerRow({ customerId: 'C2', customerName: 'After' }));
    const chunks = [...builder.chunks(rates, 10)];
    expect(chunks.flat().map((s) => [s.figures.customerId, s.figures.name])).toEqual([['C2', 'After']]);
    expect(builder.size).toBe(1);
  });
});
