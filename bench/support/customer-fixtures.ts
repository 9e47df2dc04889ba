/**
 * Customers-card fixtures for the benchmarks, named so that a fake Metabase in a child
 * process (fake-metabase-process.ts) can build them itself from `{ fixture, count }`:
 * generating 50,000 rows there is cheaper than sending them over IPC, and keeps them out
 * of the measured process. Pure functions of (count, now): parent and child agree.
 *
 * Kept free of app imports other than the rate table, so the child stays small.
 */
import { DEFAULT_USD_RATES } from '../../src/domain/rates';
import type { FakeCustomerRow } from '../../test/support/fake-metabase';

const DAY = 86_400_000;

const HOME_CURRENCIES = [
  ['AE', 'AED'],
  ['SA', 'SAR'],
  ['KW', 'KWD'],
  ['IN', 'INR'],
  ['EG', 'EGP'],
  ['US', 'USD'],
] as const;

/** Home bench: `n` customers, a fifth of them buying in two currencies, orders spread over the last 100 days. */
function homeCustomers(n: number, now: Date): FakeCustomerRow[] {
  const rows: FakeCustomerRow[] = [];
  for (let i = 1; i <= n; i++) {
    const id = `B${String(i).padStart(6, '0')}`;
    const [market, currency] = HOME_CURRENCIES[i % HOME_CURRENCIES.length]!;
    const lastOrder = new Date(now.getTime() - (i % 100) * DAY).toISOString();
    const base = {
      customer_id: id,
      customer_name: `Bench Customer ${i}`,
      company: `Bench Co ${i}`,
      email: `buyer${i}@example.com`,
      phone: null,
    };
    rows.push({
      ...base,
      market,
      currency,
      order_count: 1 + (i % 9),
      lifetime_total: `${(i * 7919) % 1_000_000}.${String(i % 100).padStart(2, '0')}`,
      last_order_at: lastOrder,
    });
    if (i % 5 === 0)
      rows.push({
        ...base,
        market: 'AE',
        currency: 'AED',
        order_count: 2,
        lifetime_total: '1250.00',
        last_order_at: lastOrder,
      });
  }
  return rows;
}

const MARKET_OF: Record<string, string> = {
  AED: 'AE',
  SAR: 'SA',
  KWD: 'KW',
  QAR: 'QA',
  BHD: 'BH',
  OMR: 'OM',
  EGP: 'EG',
  INR: 'IN',
  PKR: 'PK',
  LKR: 'LK',
  USD: 'US',
};

/** Production-read bench: `count` rows over all 11 currencies; every third row is a second currency of the previous customer. */
function productionReadRows(count: number, now: Date): FakeCustomerRow[] {
  const currencies = Object.keys(DEFAULT_USD_RATES);
  const rows: FakeCustomerRow[] = [];
  for (let i = 0; i < count; i++) {
    const customer = i % 3 === 2 ? i - 1 : i;
    const currency = currencies[i % currencies.length]!;
    const threeDecimals = currency === 'KWD' || currency === 'BHD' || currency === 'OMR';
    const whole = 100 + ((i * 7919) % 250_000);
    rows.push({
      customer_id: `C${String(customer).padStart(7, '0')}`,
      customer_name: `Customer ${customer} Trading LLC`,
      company: i % 5 === 0 ? null : `Company ${customer}`,
      email: `buyer${customer}@example.com`,
      phone: i % 4 === 0 ? null : `+971 50 ${String(1_000_000 + customer).slice(-7)}`,
      market: MARKET_OF[currency]!,
      currency,
      order_count: 1 + (i % 40),
      lifetime_total: threeDecimals
        ? `${whole}.${String(i % 1000).padStart(3, '0')}`
        : `${whole}.${String(i % 100).padStart(2, '0')}`,
      // Within the last 100 days, so every row is inside the 120-day window.
      last_order_at: new Date(now.getTime() - (i % 100) * DAY).toISOString(),
    });
  }
  return rows;
}

export const CUSTOMER_FIXTURES = {
  /** `count` customers (about 1.2 rows each). */
  home: homeCustomers,
  /** `count` rows (about 0.67 customers each). */
  productionRead: productionReadRows,
} satisfies Record<string, (count: number, now: Date) => FakeCustomerRow[]>;

export type CustomerFixtureName = keyof typeof CUSTOMER_FIXTURES;

/** Customers rows named by fixture and size, built where they are served. */
export interface CustomerFixtureSpec {
  fixture: CustomerFixtureName;
  count: number;
}
