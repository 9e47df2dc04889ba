import { type CardSpec, CUSTOMERS_CARD, ORDERS_CARD } from '../../src/production/card-schemas';

/**
 * Rows that fit skip zod (a hand-compiled check answers first), so the two must agree on
 * every value a column can hold: a row the fast check lets through that zod would refuse
 * would reach the sync unchecked.
 */
const VALUES: unknown[] = [
  'C1',
  ' AE ',
  'aed',
  'ae',
  'AED ',
  'ABCD',
  'A',
  'A1',
  '',
  '   ',
  '\t',
  '12',
  '1234.50',
  '2026-11-20T10:00:00Z',
  'x',
  0,
  1,
  -1,
  1.5,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  null,
  undefined,
  true,
  false,
  {},
  [],
  ['AE'],
  { value: 'AE' },
  10n,
];

function agreesColumnByColumn(spec: CardSpec<never, unknown>, valid: Record<string, unknown>): string[] {
  const disagreements: string[] = [];
  for (const column of spec.columns) {
    for (const value of VALUES) {
      const row = { ...valid, [column]: value };
      const zod = (spec.schema as unknown as { safeParse(v: unknown): { success: boolean } }).safeParse(row).success;
      if (spec.fits(row) !== zod) disagreements.push(`${column} = ${String(value)}: fits ${!zod}, zod ${zod}`);
    }
  }
  return disagreements;
}

describe('the fast row check agrees with the card schemas', () => {
  test('Customers card: every column, every kind of value', () => {
    const valid = {
      customer_id: 'C1',
      customer_name: 'ACME',
      company: null,
      email: 'a@b.example',
      phone: 971,
      market: 'AE',
      currency: 'AED',
      order_count: '3',
      lifetime_total: 12.5,
      last_order_at: '2026-11-20T10:00:00Z',
    };
    expect(CUSTOMERS_CARD.fits(valid)).toBe(true);
    expect(agreesColumnByColumn(CUSTOMERS_CARD as unknown as CardSpec<never, unknown>, valid)).toEqual([]);
  });

  test('Orders card: every column, every kind of value', () => {
    const valid = {
      order_id: 7,
      created_at: '2026-11-20T10:00:00Z',
      market: 'SA',
      currency: 'SAR',
      total: '10.00',
      status: 'paid',
    };
    expect(ORDERS_CARD.fits(valid)).toBe(true);
    expect(agreesColumnByColumn(ORDERS_CARD as unknown as CardSpec<never, unknown>, valid)).toEqual([]);
  });
});
