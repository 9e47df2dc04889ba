import { ManualClock } from '../../src/clock';
import { getOrderHistory } from '../../src/domain/order-history';
import { getRates, seedDefaultRates, updateRate } from '../../src/domain/rates';
import { createLogger } from '../../src/logger';
import { createProductionReader } from '../../src/production/metabase-client';
import { openTestDatabase } from '../support/databases';
import { startFakeMetabase } from '../support/fake-metabase';

describe('order history from the fake Metabase, rates from the CRM database', () => {
  it('shows local amounts, USD at the admin rate with its date, totals, and the rejected count', async () => {
    const mb = await startFakeMetabase({
      apiKey: 'k',
      customersCardId: 1,
      ordersCardId: 2,
      keyStyle: 'title',
      stringValues: true,
    });
    const { db, cleanup } = await openTestDatabase('sqlite');
    const reader = createProductionReader(
      { url: mb.url, auth: { kind: 'apiKey', apiKey: 'k' }, customersCardId: 1, ordersCardId: 2, timeoutMs: 2_000 },
      createLogger('silent'),
    );
    try {
      const clock = new ManualClock('2026-11-25T09:00:00Z');
      await seedDefaultRates(db.prisma, clock);
      await updateRate(db.prisma, { currency: 'OMR', usdPerUnit: '2.6', actorId: 'U0ADMIN01' }, clock);
      mb.setOrders('C9', [
        {
          order_id: 'O-1',
          created_at: '2026-09-01T08:00:00+04:00',
          market: 'OM',
          currency: 'OMR',
          total: '100.005',
          status: 'delivered',
        },
        {
          order_id: 'O-2',
          created_at: '2026-11-01T08:00:00+04:00',
          market: 'BH',
          currency: 'BHD',
          total: '0.500',
          status: 'processing',
        },
      ]);
      mb.setRawRows('orders', [
        {
          'Order ID': 'O-3',
          'Created At': '2026-11-02T00:00:00Z',
          Market: 'OM',
          Currency: 'OMR',
          Total: '1.0005',
          Status: 'delivered',
        },
      ]);

      const history = await getOrderHistory(reader, await getRates(db.prisma), 'C9');

      expect(
        history.orders.map((o) => [o.orderId, o.createdAt.toISOString(), o.localFormatted, o.usdFormatted, o.status]),
      ).toEqual([
        ['O-2', '2026-11-01T04:00:00.000Z', 'BHD 0.500', '$1.33', 'processing'], // 0.5 × 2.6596 = 1.3298
        ['O-1', '2026-09-01T04:00:00.000Z', 'OMR 100.005', '$260.01', 'delivered'], // 100.005 × 2.6 = 260.013
      ]);
      expect(history.orders[1]!.usd).toMatchObject({ usdPerUnit: '2.6', rateDate: new Date('2026-11-25T09:00:00Z') });
      expect(history.totalsByCurrency.map((t) => [t.currency, t.localFormatted, t.usdFormatted])).toEqual([
        ['BHD', 'BHD 0.500', '$1.33'],
        ['OMR', 'OMR 100.005', '$260.01'],
      ]);
      expect(history.usdTotal.usdCents).toBe(26134n);
      expect(history.rateDates.map((d) => d.toISOString())).toEqual([
        '2025-11-24T00:00:00.000Z',
        '2026-11-25T09:00:00.000Z',
      ]);
      // O-3 has four decimals in a three-decimal currency: kept apart, counted.
      expect(history.rejectedCount).toBe(1);
    } finally {
      await reader.close();
      await mb.close();
      await cleanup();
    }
  });
});
