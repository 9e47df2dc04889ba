import { buildRateTable, makeUsdRate } from '../../src/common/money';
import { buildOrderHistory, getOrderHistory } from '../../src/domain/order-history';
import { DEFAULT_RATES_DATE, defaultRateTable } from '../../src/domain/rates';
import { type CardResult, type OrderRow, ProductionError, type ProductionReader } from '../../src/production/types';
import { buildOrderHistoryMessage } from '../../src/slack/views/order-history-message';
import { visibleText } from '../support/lead-e2e';

const order = (
  orderId: string,
  createdAt: string,
  currency: string,
  total: string,
  status = 'delivered',
  market = 'AE',
): OrderRow => ({
  orderId,
  createdAt: new Date(createdAt),
  market,
  currency,
  total,
  status,
});

function readerWith(result: CardResult<OrderRow> | ProductionError): ProductionReader & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    fetchCustomers: () => Promise.reject(new Error('not used')),
    fetchOrders: async (customerId: string) => {
      asked.push(customerId);
      if (result instanceof ProductionError) throw result;
      return result;
    },
    lastCall: () => null,
  };
}

describe('order history', () => {
  it('lists orders newest first with local amount, USD, status, per-currency and USD totals', async () => {
    const rows = [
      order('A1', '2026-10-01T10:00:00Z', 'AED', '1000.00'),
      order('K1', '2026-11-20T10:00:00Z', 'KWD', '12.345', 'shipped', 'KW'),
      order('K2', '2026-11-21T10:00:00Z', 'KWD', '-2.345', 'refunded', 'KW'),
      order('U1', '2026-11-01T10:00:00Z', 'USD', '0.00', 'cancelled', 'US'),
    ];
    const reader = readerWith({ rows, rejected: [{ index: 9, reason: 'total: must be a plain decimal number' }] });

    const history = await getOrderHistory(reader, defaultRateTable(), 'C1');

    expect(reader.asked).toEqual(['C1']);
    expect(history.customerId).toBe('C1');
    expect(history.orders.map((o) => [o.orderId, o.localFormatted, o.usdFormatted, o.status])).toEqual([
      ['K2', 'KWD -2.345', '-$7.64', 'refunded'], // -2.345 × 3.26 = -7.6447
      ['K1', 'KWD 12.345', '$40.24', 'shipped'], // 12.345 × 3.26 = 40.2447
      ['U1', 'USD 0.00', '$0.00', 'cancelled'],
      ['A1', 'AED 1,000.00', '$272.30', 'delivered'],
    ]);
    expect(history.orders[0]!.amount).toEqual({ kind: 'money', currency: 'KWD', minor: -2345n, exponent: 3 });
    expect(history.orders[0]!.usd).toEqual({
      kind: 'usd',
      usdCents: -764n,
      currency: 'KWD',
      usdPerUnit: '3.26',
      rateDate: DEFAULT_RATES_DATE,
    });

    expect(history.totalsByCurrency.map((t) => [t.currency, t.orderCount, t.localFormatted, t.usdFormatted])).toEqual([
      ['AED', 1, 'AED 1,000.00', '$272.30'],
      ['KWD', 2, 'KWD 10.000', '$32.60'],
      ['USD', 1, 'USD 0.00', '$0.00'],
    ]);
    // Each currency total is converted once: 272.30 + 32.60 + 0.00
    expect(history.usdTotal).toEqual({
      usdCents: 30490n,
      incomplete: false,
      unknownCurrencies: [],
      rateDates: [DEFAULT_RATES_DATE],
    });
    expect(history.rateDates).toEqual([DEFAULT_RATES_DATE]);
    expect(history.rejectedCount).toBe(1);
  });

  it('keeps an unknown currency visible in its own money and marks the USD total incomplete', () => {
    const history = buildOrderHistory(
      'C2',
      [
        order('X1', '2026-11-01T00:00:00Z', 'XYZ', '12.5'),
        order('X2', '2026-11-02T00:00:00Z', 'XYZ', '0.25'),
        order('A1', '2026-11-03T00:00:00Z', 'AED', '10.00'),
      ],
      0,
      defaultRateTable(),
    );
    expect(history.orders.map((o) => [o.orderId, o.localFormatted, o.usdFormatted])).toEqual([
      ['A1', 'AED 10.00', '$2.72'],
      ['X2', 'XYZ 0.25', null],
      ['X1', 'XYZ 12.5', null],
    ]);
    expect(history.orders[1]!.usd).toEqual({ kind: 'unknown_currency', currency: 'XYZ' });
    expect(history.totalsByCurrency.find((t) => t.currency === 'XYZ')).toMatchObject({
      orderCount: 2,
      localFormatted: 'XYZ 12.75',
      usdFormatted: null,
    });
    expect(history.usdTotal).toEqual({
      usdCents: 272n,
      incomplete: true,
      unknownCurrencies: ['XYZ'],
      rateDates: [DEFAULT_RATES_DATE],
    });
  });

  it('names every rate date used when rates were set on different days', () => {
    const later = new Date('2026-11-24T00:00:00Z');
    const rates = buildRateTable([
      makeUsdRate('AED', '0.2723', DEFAULT_RATES_DATE),
      makeUsdRate('SAR', '0.2666', later),
    ]);
    const history = buildOrderHistory(
      'C3',
      [
        order('A', '2026-11-01T00:00:00Z', 'AED', '1.00'),
        order('S', '2026-11-02T00:00:00Z', 'SAR', '1.00', 'delivered', 'SA'),
      ],
      0,
      rates,
    );
    expect(history.rateDates).toEqual([DEFAULT_RATES_DATE, later]);
    expect(history.ratesUsed).toEqual([
      { currency: 'AED', usdPerUnit: '0.2723', rateDate: DEFAULT_RATES_DATE },
      { currency: 'SAR', usdPerUnit: '0.2666', rateDate: later },
    ]);
  });

  it('the message names each rate used with its date, and says when nothing needed converting', () => {
    const later = new Date('2026-11-24T00:00:00Z');
    const rates = buildRateTable([...defaultRateTable().values(), makeUsdRate('PKR', '0.00355', later)]);
    const customer = { name: '<!channel> Evil & Co', company: null, customerId: 'C3' };
    const rows = [
      order('K', '2026-11-01T00:00:00Z', 'KWD', '100.125', 'delivered', 'KW'),
      order('P', '2026-11-02T00:00:00Z', 'PKR', '1000.00', 'delivered', 'PK'),
      order('U', '2026-11-03T00:00:00Z', 'USD', '5.00'),
      order('X', '2026-11-04T00:00:00Z', 'XYZ', '1'),
    ];
    const text = visibleText(buildOrderHistoryMessage(customer, buildOrderHistory('C3', rows, 0, rates)));
    expect(text).toContain('USD at 1 KWD = $3.2600 (2025-11-24) · 1 PKR = $0.00355 (2026-11-24).');
    expect(text).not.toContain('1 USD =');
    expect(text).toContain('no USD rate for XYZ');
    const usdOnly = visibleText(
      buildOrderHistoryMessage(
        customer,
        buildOrderHistory('C3', [order('U', '2026-11-03T00:00:00Z', 'USD', '5.00')], 0, rates),
      ),
    );
    expect(usdOnly).toContain('All amounts are in USD: no conversion.');
    const unknownOnly = visibleText(
      buildOrderHistoryMessage(
        customer,
        buildOrderHistory('C3', [order('X', '2026-11-03T00:00:00Z', 'XYZ', '5')], 0, rates),
      ),
    );
    expect(unknownOnly).toContain('No USD rate used.');
  });

  it('orders ties on time by order id, newest id first, and handles no orders', () => {
    const same = '2026-11-01T00:00:00Z';
    expect(
      buildOrderHistory(
        'C4',
        [order('1', same, 'USD', '1'), order('3', same, 'USD', '1'), order('2', same, 'USD', '1')],
        0,
        defaultRateTable(),
      ).orders.map((o) => o.orderId),
    ).toEqual(['3', '2', '1']);
    const empty = buildOrderHistory('C5', [], 0, defaultRateTable());
    expect(empty).toMatchObject({
      orders: [],
      totalsByCurrency: [],
      usdTotal: { usdCents: 0n, incomplete: false, unknownCurrencies: [], rateDates: [] },
    });
  });

  it('passes a production failure on, with its message for the user', async () => {
    const reader = readerWith(new ProductionError('Production data unavailable: Metabase timed out after 10 s'));
    await expect(getOrderHistory(reader, defaultRateTable(), 'C1')).rejects.toMatchObject({
      userMessage: 'Production data unavailable: Metabase timed out after 10 s',
    });
  });
});
