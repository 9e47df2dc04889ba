/**
 * A team-sized book for the scale tier and the bulk benchmark: `customers` B2B customers
 * with orders in every one of the 11 markets (a third buy in two currencies, a tenth in
 * three), the roster of a real sales team, and what the test expects the CRM to hold after
 * the sync, computed from the rows with the money rules (not read back from the app).
 * Pure functions of (size, now), so a fake Metabase in another process can build the same rows.
 */
import { decimalToUsd, sumUsd } from '../../src/common/money';
import { defaultRateTable } from '../../src/domain/rates';
import type { FakeCustomerRow } from './fake-metabase';

const DAY = 86_400_000;

export const MARKETS = [
  ['AE', 'AED'],
  ['SA', 'SAR'],
  ['KW', 'KWD'],
  ['QA', 'QAR'],
  ['BH', 'BHD'],
  ['OM', 'OMR'],
  ['EG', 'EGP'],
  ['IN', 'INR'],
  ['PK', 'PKR'],
  ['LK', 'LKR'],
  ['US', 'USD'],
] as const;

const THREE_DECIMALS = new Set(['KWD', 'BHD', 'OMR']);

export const scaleCustomerId = (i: number) => `S${String(i).padStart(6, '0')}`;

/** Customer `i`'s rows: its home market, and for some a second and third currency. */
function rowsOf(i: number, now: Date): FakeCustomerRow[] {
  const count = 1 + (i % 3 === 0 ? 1 : 0) + (i % 10 === 0 ? 1 : 0);
  const base = {
    customer_id: scaleCustomerId(i),
    customer_name: `Scale Trading ${i}`,
    company: i % 4 === 0 ? null : `Scale Holding ${i % 997}`,
    email: `buyer${i}@scale.example`,
    phone: i % 5 === 0 ? null : `+971 50 ${String(1_000_000 + i).slice(-7)}`,
  };
  const rows: FakeCustomerRow[] = [];
  for (let k = 0; k < count; k++) {
    const [market, currency] = MARKETS[(i + k * 4) % MARKETS.length]!;
    const whole = 50 + ((i * 7919 + k * 104_729) % 400_000);
    const fraction = THREE_DECIMALS.has(currency)
      ? String(i % 1000).padStart(3, '0')
      : String(i % 100).padStart(2, '0');
    rows.push({
      ...base,
      market,
      currency,
      order_count: 1 + ((i + k) % 30),
      lifetime_total: `${whole}.${fraction}`,
      // Every customer inside the 120-day window; a spread of recency for `uncontacted`.
      last_order_at: new Date(now.getTime() - ((i + k * 7) % 110) * DAY - (i % 86_400) * 1000).toISOString(),
    });
  }
  return rows;
}

export function scaleCustomerRows(customers: number, now: Date): FakeCustomerRow[] {
  const rows: FakeCustomerRow[] = [];
  for (let i = 1; i <= customers; i++) rows.push(...rowsOf(i, now));
  return rows;
}

/** What the CRM must hold after syncing the rows: per customer and in all. */
export function expectedBook(rows: readonly FakeCustomerRow[]): {
  customers: number;
  usdCents: bigint;
  currencyTotals: number;
  markets: Set<string>;
} {
  const rates = defaultRateTable();
  const byCustomer = new Map<string, FakeCustomerRow[]>();
  for (const r of rows) byCustomer.set(String(r.customer_id), [...(byCustomer.get(String(r.customer_id)) ?? []), r]);
  let usdCents = 0n;
  for (const list of byCustomer.values())
    usdCents += sumUsd(list.map((r) => decimalToUsd(r.lifetime_total, r.currency, rates))).usdCents;
  return {
    customers: byCustomer.size,
    usdCents,
    currencyTotals: rows.length,
    markets: new Set(rows.map((r) => r.market)),
  };
}

/** The roster of a real team: 2 admins, 8 managers, 190 account managers. */
export function scaleRoster(): { admins: string[]; managers: string[]; accountManagers: string[] } {
  const ids = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);
  return { admins: ids('U0SCADM', 2), managers: ids('U0SCMGR', 8), accountManagers: ids('U0SCAM0', 190) };
}
