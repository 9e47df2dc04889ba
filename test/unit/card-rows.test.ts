import { CUSTOMERS_CARD, normaliseColumnKey, ORDERS_CARD, parseCardRows } from '../../src/production/card-schemas';
import { numberToDecimalText, toCount, toDecimalText, toIsoDate } from '../../src/production/coerce';
import { JsonArrayStream } from '../../src/production/json-array-stream';
import { backoffDelayMs } from '../../src/production/retry';

const sqlRow = {
  customer_id: 'C1',
  customer_name: 'ACME Trading',
  company: 'ACME',
  email: 'buyer@acme.example',
  phone: null,
  market: 'AE',
  currency: 'AED',
  order_count: 3,
  lifetime_total: 1234.5,
  last_order_at: '2026-11-20T10:00:00Z',
};

const titleRow = {
  'Customer ID': 'C1',
  'Customer Name': 'ACME Trading',
  Company: 'ACME',
  Email: 'buyer@acme.example',
  Phone: '',
  Market: 'ae',
  Currency: 'aed',
  'Order Count': '3',
  'Lifetime Total': '1234.50',
  'Last Order At': '2026-11-20T14:00:00+04:00',
};

describe('column keys', () => {
  it('reports the columns of the first row as Metabase titled them, and none for an empty result', () => {
    expect(parseCardRows(CUSTOMERS_CARD, [titleRow, sqlRow]).columns).toEqual(Object.keys(titleRow));
    expect(parseCardRows(CUSTOMERS_CARD, [{ client_name: 'x' }]).columns).toEqual(['client_name']);
    expect(parseCardRows(CUSTOMERS_CARD, []).columns).toBeUndefined();
  });

  it('reads SQL names and humanised titles the same', () => {
    expect(normaliseColumnKey('Customer ID')).toBe(normaliseColumnKey('customer_id'));
    expect(normaliseColumnKey('Last-Order_At')).toBe(normaliseColumnKey('last_order_at'));
    const [a] = parseCardRows(CUSTOMERS_CARD, [sqlRow]).rows;
    const [b] = parseCardRows(CUSTOMERS_CARD, [titleRow]).rows;
    expect(a).toEqual({
      customerId: 'C1',
      customerName: 'ACME Trading',
      company: 'ACME',
      email: 'buyer@acme.example',
      phone: null,
      market: 'AE',
      currency: 'AED',
      orderCount: 3,
      lifetimeTotal: '1234.5',
      lastOrderAt: new Date('2026-11-20T10:00:00Z'),
      firstOrderAt: null,
    });
    expect(b).toEqual({ ...a, lifetimeTotal: '1234.50' });
  });

  it('reads the optional first_order_at under either spelling; without it (or null) the first order is unknown', () => {
    const { rows, rejected } = parseCardRows(CUSTOMERS_CARD, [
      { ...sqlRow, first_order_at: '2025-01-05T08:00:00Z' },
      { ...titleRow, 'First Order At': '2025-01-05 12:00:00+04:00' },
      { ...sqlRow, first_order_at: null },
      { ...sqlRow, first_order_at: '' },
      sqlRow,
    ]);
    expect(rejected).toEqual([]);
    expect(rows.map((r) => r.firstOrderAt?.toISOString() ?? null)).toEqual([
      '2025-01-05T08:00:00.000Z',
      '2025-01-05T08:00:00.000Z',
      null,
      null,
      null,
    ]);
  });

  it('refuses a first_order_at that is not a date, naming the column', () => {
    const { rows, rejected } = parseCardRows(CUSTOMERS_CARD, [
      { ...sqlRow, first_order_at: '2025-02-30' },
      { ...sqlRow, first_order_at: 20250105 },
    ]);
    expect(rows).toEqual([]);
    expect(rejected.map((r) => r.reason)).toEqual([
      'first_order_at: must be an ISO 8601 date',
      'first_order_at: must be an ISO 8601 date',
    ]);
  });

  it('finds a column under another spelling in a later row', () => {
    const { rows, rejected } = parseCardRows(CUSTOMERS_CARD, [sqlRow, titleRow]);
    expect(rejected).toEqual([]);
    expect(rows).toHaveLength(2);
  });
});

describe('bad rows', () => {
  it('keeps bad rows apart with their position and a reason that names the column, not the value', () => {
    const rows = [
      sqlRow,
      { ...sqlRow, customer_id: '' },
      { ...sqlRow, lifetime_total: '12,34' },
      { ...sqlRow, last_order_at: '2026-02-30T10:00:00Z' },
      { ...sqlRow, order_count: -1 },
      { ...sqlRow, currency: 'dirhams' },
      { ...sqlRow, lifetime_total: '1.234', currency: 'USD' },
      { ...sqlRow, email: { secret: 'x@y.z' } },
      'not an object',
      (({ customer_name: _omit, ...rest }) => rest)(sqlRow),
      { ...sqlRow, customer_id: 'C2' },
    ];
    const { rows: kept, rejected } = parseCardRows(CUSTOMERS_CARD, rows);
    expect(kept.map((r) => r.customerId)).toEqual(['C1', 'C2']);
    // Each refused row keeps the customer and currency it was about, when those columns read.
    const c1 = { customerId: 'C1', currency: 'AED' };
    expect(rejected).toEqual([
      { index: 1, reason: 'customer_id: must be non-empty text or an integer', currency: 'AED' },
      { index: 2, reason: 'lifetime_total: must be a plain decimal number', ...c1 },
      { index: 3, reason: 'last_order_at: must be an ISO 8601 date', ...c1 },
      { index: 4, reason: 'order_count: must be a whole number, zero or more', ...c1 },
      { index: 5, reason: 'currency: must be a 3-letter currency code', customerId: 'C1' },
      { index: 6, reason: 'lifetime_total: has more than 2 decimals for USD', customerId: 'C1', currency: 'USD' },
      { index: 7, reason: 'email: must be text or empty', ...c1 },
      { index: 8, reason: 'row: not an object keyed by column' },
      { index: 9, reason: 'customer_name: missing', ...c1 },
    ]);
    expect(JSON.stringify(rejected)).not.toContain('x@y.z');
  });

  it('accepts extra zeros beyond the exponent and an unknown currency as it is', () => {
    const { rows, rejected } = parseCardRows(CUSTOMERS_CARD, [
      { ...sqlRow, currency: 'USD', lifetime_total: '12.3400' },
      { ...sqlRow, currency: 'XYZ', lifetime_total: '1.23456' },
    ]);
    expect(rejected).toEqual([]);
    expect(rows.map((r) => [r.currency, r.lifetimeTotal])).toEqual([
      ['USD', '12.3400'],
      ['XYZ', '1.23456'],
    ]);
  });

  it('validates Orders rows the same way, refunds included', () => {
    const { rows, rejected } = parseCardRows(ORDERS_CARD, [
      {
        'Order ID': 501,
        'Created At': '2026-11-01T08:00:00Z',
        Market: 'KW',
        Currency: 'KWD',
        Total: '-12.500',
        Status: 'refunded',
      },
      { 'Order ID': 502, 'Created At': 'yesterday', Market: 'KW', Currency: 'KWD', Total: '1', Status: 'shipped' },
    ]);
    expect(rows).toEqual([
      {
        orderId: '501',
        createdAt: new Date('2026-11-01T08:00:00Z'),
        market: 'KW',
        currency: 'KWD',
        total: '-12.500',
        status: 'refunded',
      },
    ]);
    expect(rejected).toEqual([{ index: 1, reason: 'created_at: must be an ISO 8601 date' }]);
  });
});

describe('coercions', () => {
  it.each([
    [1234.567, '1234.567'],
    [0.1, '0.1'],
    [-0.5, '-0.5'],
    [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [-2.5e-8, '-0.000000025'],
    [123456789.12, '123456789.12'],
    [0, '0'],
  ])('number %p -> decimal text %p without float arithmetic', (n, text) => {
    expect(numberToDecimalText(n)).toBe(text);
  });

  it('reads decimals, counts and dates from strings or numbers', () => {
    expect(toDecimalText(' 12.50 ')).toBe('12.50');
    expect(toDecimalText('1e3')).toBeNull();
    expect(toDecimalText(Number.NaN)).toBeNull();
    expect(toCount('12')).toBe(12);
    expect(toCount('12.0')).toBe(12);
    expect(toCount('12.5')).toBeNull();
    expect(toCount(2 ** 60)).toBeNull();
    expect(toIsoDate('2026-11-20')).toEqual(new Date('2026-11-20T00:00:00Z'));
    expect(toIsoDate('2026-11-20 10:00:00')).toEqual(new Date('2026-11-20T10:00:00Z'));
    expect(toIsoDate('2026-11-20T10:00:00.123456-05:30')).toEqual(new Date('2026-11-20T15:30:00.123Z'));
    expect(toIsoDate('2024-02-29T00:00:00Z')).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect(toIsoDate('2026-02-29T00:00:00Z')).toBeNull();
    expect(toIsoDate('2026-11-20T25:00:00Z')).toBeNull();
    expect(toIsoDate(1_700_000_000_000)).toBeNull();
  });
});

describe('streamed JSON array', () => {
  const rows = Array.from({ length: 40 }, (_, i) => ({
    id: i,
    name: i % 5 === 0 ? `tricky },{"id":"${i}"} ]` : `n${i}`,
    nested: { a: [i] },
  }));
  const bytes = Buffer.from(JSON.stringify(rows));

  it.each([1, 2, 7, 64, 100_000])('gives back every element whatever the piece size (%i bytes)', (size) => {
    const stream = new JsonArrayStream();
    const out: unknown[] = [];
    for (let i = 0; i < bytes.length; i += size) out.push(...stream.push(bytes.subarray(i, i + size)));
    out.push(...stream.end());
    expect(out).toEqual(rows);
  });

  it('hands out rows before the end, so the whole body is never held', () => {
    const stream = new JsonArrayStream();
    const half = Math.floor(bytes.length / 2);
    expect(stream.push(bytes.subarray(0, half)).length).toBeGreaterThan(5);
  });

  it('keeps multi-byte characters split across pieces intact', () => {
    const text = Buffer.from(JSON.stringify([{ name: 'شركة الخليج' }, { name: 'Ünïcödé' }]));
    const stream = new JsonArrayStream();
    const out: unknown[] = [];
    for (let i = 0; i < text.length; i++) out.push(...stream.push(text.subarray(i, i + 1)));
    out.push(...stream.end());
    expect(out).toEqual([{ name: 'شركة الخليج' }, { name: 'Ünïcödé' }]);
  });

  it('reports a body that is not an array, an empty array, and a cut-off array', () => {
    const failed = new JsonArrayStream();
    failed.push(Buffer.from('  {"status":"failed","error":"boom"}'));
    expect(failed.notAnArray).toBe(true);
    expect(JSON.parse(failed.takeText())).toEqual({ status: 'failed', error: 'boom' });

    const empty = new JsonArrayStream();
    empty.push(Buffer.from(' [ ] '));
    expect(empty.end()).toEqual([]);

    const cut = new JsonArrayStream();
    cut.push(Buffer.from('[{"a":1},{"a":'));
    expect(() => cut.end()).toThrow(SyntaxError);
  });
});

describe('retry backoff', () => {
  it('doubles from the base, is capped, and jitters between half and all of it', () => {
    const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 300 };
    expect([1, 2, 3, 4].map((a) => backoffDelayMs(policy, a, () => 1))).toEqual([100, 200, 300, 300]);
    expect(backoffDelayMs(policy, 2, () => 0)).toBe(100);
  });
});
