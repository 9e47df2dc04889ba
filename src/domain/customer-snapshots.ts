import { hash } from 'node:crypto';
import {
  MoneyError,
  parseAmount,
  type RateTable,
  sumUsd,
  toUsd,
  UNREADABLE_ROW,
  type UsdConversion,
} from '../common/money';
import type { CustomerCurrencyRow, RejectedRow } from '../production/types';
import { CONTACT_FIELDS, type CurrencyTotal, CustomerRunningTotals } from './customer-running-totals';
import { orderRhythm } from './rhythm';

/**
 * A customer's figures as the sync makes them from the Customers card: the running totals
 * per customer while the export is read (CustomerSnapshotBuilder) and the snapshot written
 * to the figure cache. Free of any database and of Slack, so the sync's worker thread
 * (sync-worker.ts) builds them as the main thread would.
 */

/** A customer's figures as the cache stores them. */
export interface CustomerFiguresRow {
  customerId: string;
  name: string;
  company: string | null;
  email: string | null;
  phone: string | null;
  markets: string;
  orderCount: number;
  lifetimeUsdCents: bigint;
  unknownCurrencies: string;
  lastOrderAt: Date | null;
  rateDate: Date | null;
  searchText: string;
  /** Earliest first order over every currency; null (or absent) when any currency's is unknown. */
  firstOrderAt?: Date | null;
  /** The order rhythm (rhythm.ts), null (or absent) when it cannot be told. */
  rhythmIntervalMs?: bigint | null;
  rhythmNextMs?: bigint | null;
}

export interface CurrencyTotalRow {
  customerId: string;
  currency: string;
  market: string;
  orderCount: number;
  lifetimeMinor: bigint;
  lastOrderAt: Date | null;
  /** Null (or absent) when the card has no first_order_at. */
  firstOrderAt?: Date | null;
}

export interface CustomerSnapshot {
  figures: CustomerFiguresRow;
  totals: CurrencyTotalRow[];
}

/** What one customer's rows add up to, as the snapshot is made from it. */
interface CustomerAccumulator {
  customerId: string;
  name: string | null;
  company: string | null;
  email: string | null;
  phone: string | null;
  /** Usually one currency. */
  currencies: CurrencyTotal[];
}

const maxDate = (a: Date | null, b: Date | null) =>
  a === null ? b : b === null ? a : a.getTime() >= b.getTime() ? a : b;
const minDate = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);
const [NAME, COMPANY, EMAIL, PHONE] = CONTACT_FIELDS.map((_, i) => i) as [number, number, number, number];
const present = (v: string | null): v is string => v !== null && v !== '';

/**
 * Turns the Customers card's per-currency rows, as they are read, into one snapshot per
 * customer: lifetime USD over every currency (exact, at the current rates), order count,
 * markets, last order and contact fields. An amount that cannot be read is counted in
 * `unreadableRows` and its currency marks the figure incomplete, so the total is never
 * silently too low. A row the card's schema refused (see `refused`) marks its customer's
 * figure incomplete the same way. Only a compact running total per customer is held, never
 * the rows, and snapshots are made a chunk at a time for writing.
 */
export class CustomerSnapshotBuilder {
  private totals = new CustomerRunningTotals();
  /** Per customer, the currencies of its refused rows (UNREADABLE_ROW when the currency did not read). */
  private readonly refusedRows = new Map<string, Set<string>>();
  unreadableRows = 0;

  constructor(private readonly onUnreadable: (row: CustomerCurrencyRow, reason: string) => void = () => undefined) {}

  /** Distinct customers so far. */
  get size(): number {
    return this.totals.size;
  }

  /** Forgets everything (the card is being read again from the top). */
  clear(): void {
    this.totals = new CustomerRunningTotals();
    this.refusedRows.clear();
    this.unreadableRows = 0;
  }

  /**
   * A row the card refused but whose customer id still reads: that customer's figure leaves
   * out the row's currency, and says so. A customer with no other row gets no snapshot (there
   * is nothing readable to show). Returns whether the row named a customer.
   */
  refused(row: Pick<RejectedRow, 'customerId' | 'currency'>): boolean {
    if (row.customerId === undefined) return false;
    let currencies = this.refusedRows.get(row.customerId);
    if (!currencies) {
      currencies = new Set();
      this.refusedRows.set(row.customerId, currencies);
    }
    currencies.add(row.currency ?? UNREADABLE_ROW);
    return true;
  }

  /** Customers with a snapshot whose figure a refused row left incomplete. */
  get customersWithRefusedRows(): number {
    let n = 0;
    for (const id of this.refusedRows.keys()) if (this.totals.has(id)) n += 1;
    return n;
  }

  add(row: CustomerCurrencyRow): void {
    const { totals } = this;
    const c = totals.customer(row.customerId);
    const at = row.lastOrderAt.getTime();
    if (present(row.customerName)) totals.offerContact(c, NAME, row.customerName, at);
    if (present(row.company)) totals.offerContact(c, COMPANY, row.company, at);
    if (present(row.email)) totals.offerContact(c, EMAIL, row.email, at);
    if (present(row.phone)) totals.offerContact(c, PHONE, row.phone, at);
    let parsed: ReturnType<typeof parseAmount> | null = null;
    let unreadable = false;
    try {
      parsed = parseAmount(row.lifetimeTotal, row.currency);
    } catch (err) {
      unreadable = true;
      this.unreadableRows += 1;
      this.onUnreadable(row, err instanceof MoneyError ? err.message : String(err));
    }
    const minor = parsed?.kind === 'money' ? parsed.minor : null;
    const firstOrderAt = row.firstOrderAt === null ? null : row.firstOrderAt.getTime();
    const slot = totals.slotOf(c, row.currency);
    // The card gives one row per currency; should it ever give two, they add up.
    if (slot < 0) {
      totals.addSlot(c, {
        currency: row.currency,
        market: row.market,
        marketAt: at,
        orderCount: row.orderCount,
        minor,
        exponent: parsed?.kind === 'money' ? parsed.exponent : null,
        lastOrderAt: at,
        firstOrderAt,
        unreadable,
      });
    } else {
      totals.addToSlot(
        slot,
        { market: row.market, at, orderCount: row.orderCount, minor, unreadable },
        at,
        firstOrderAt,
      );
    }
  }

  /** The snapshots, `size` customers at a time (each chunk made when asked for). */
  *chunks(rates: RateTable, size: number): Generator<CustomerSnapshot[]> {
    const { totals } = this;
    let chunk: CustomerSnapshot[] = [];
    for (const [customerId, c] of totals.customers()) {
      const acc: CustomerAccumulator = {
        customerId,
        name: totals.contact(c, NAME),
        company: totals.contact(c, COMPANY),
        email: totals.contact(c, EMAIL),
        phone: totals.contact(c, PHONE),
        currencies: totals.totalsOf(c),
      };
      chunk.push(snapshotOf(acc, rates, this.refusedRows.get(customerId)));
      if (chunk.length >= size) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length) yield chunk;
  }
}

function snapshotOf(acc: CustomerAccumulator, rates: RateTable, refused?: ReadonlySet<string>): CustomerSnapshot {
  const conversions: UsdConversion[] = [];
  const totals: CurrencyTotalRow[] = [];
  let orderCount = 0;
  let lastOrderAt: Date | null = null;
  // Known only if every currency's first order is.
  let firstOrderAt: Date | null = null;
  let firstKnown = true;
  const markets = new Set<string>();
  // Nearly every customer has one currency: nothing to sort then.
  const currencies =
    acc.currencies.length > 1
      ? [...acc.currencies].sort((a, b) => a.currency.localeCompare(b.currency))
      : acc.currencies;
  for (const cur of currencies) {
    orderCount += cur.orderCount;
    lastOrderAt = maxDate(lastOrderAt, cur.lastOrderAt);
    if (cur.firstOrderAt === null) firstKnown = false;
    else firstOrderAt = firstOrderAt === null ? cur.firstOrderAt : minDate(firstOrderAt, cur.firstOrderAt);
    markets.add(cur.market);
    // A refused row in a currency the customer also has a readable row in: that currency's
    // total is unknown, like an unreadable amount (and, like it, gets no totals row).
    const partial = refused?.has(cur.currency) ?? false;
    if (cur.minor === null || cur.exponent === null || cur.unreadable || partial) {
      conversions.push({ kind: 'unknown_currency', currency: cur.currency });
    } else {
      conversions.push(toUsd({ currency: cur.currency, minor: cur.minor, exponent: cur.exponent }, rates));
    }
    // Amounts in a currency without a known exponent cannot be held in minor units: no row.
    if (cur.minor !== null && cur.exponent !== null && !partial) {
      totals.push({
        customerId: acc.customerId,
        currency: cur.currency,
        market: cur.market,
        orderCount: cur.orderCount,
        lifetimeMinor: cur.minor,
        lastOrderAt: cur.lastOrderAt,
        firstOrderAt: cur.firstOrderAt,
      });
    }
  }
  // The currencies of refused rows are left out of the sum, named as unconverted.
  for (const currency of refused ?? []) conversions.push({ kind: 'unknown_currency', currency });
  const sum = sumUsd(conversions);
  const name = acc.name ?? acc.customerId;
  if (!firstKnown) firstOrderAt = null;
  const rhythm = orderRhythm(firstOrderAt, lastOrderAt, orderCount);
  return {
    figures: {
      customerId: acc.customerId,
      name,
      company: acc.company,
      email: acc.email,
      phone: acc.phone,
      markets: markets.size === 1 ? markets.values().next().value! : [...markets].sort().join(','),
      orderCount,
      lifetimeUsdCents: sum.usdCents,
      unknownCurrencies: sum.unknownCurrencies.join(','),
      lastOrderAt,
      // The oldest rate the figure rests on: the date a reader should be wary of.
      rateDate: sum.rateDates[0] ?? null,
      searchText: `${name} ${acc.company ?? ''} ${acc.email ?? ''} ${acc.customerId}`.toLowerCase(),
      firstOrderAt,
      rhythmIntervalMs: rhythm?.intervalMs ?? null,
      rhythmNextMs: rhythm?.nextMs ?? null,
    },
    totals,
  };
}

/** A figures row as the sync writes it: the figures and the fingerprint of the snapshot they belong to. */
export interface FingerprintedFigures extends CustomerFiguresRow {
  fingerprint: string;
}

/** Separators and the mark of a null in a fingerprint's text: control characters no cached value holds. */
const UNIT = '\u001f';
const ROW = '\u001e';
const NONE = '\u001d';
const textOf = (v: string | null | undefined) => v ?? NONE;
const numberOf = (v: number | bigint | null | undefined) => (v === null || v === undefined ? NONE : String(v));
const dateOf = (d: Date | null | undefined) => (d ? String(d.getTime()) : NONE);
const byCurrency = (a: CurrencyTotalRow, b: CurrencyTotalRow) =>
  a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0;

/**
 * Everything the cache holds for a customer (its figures and its currency totals, sorted by
 * currency), as one short text: the SHA-256 of the values in a fixed order. The sync stores
 * it with the figures it writes (CustomerFigures.fingerprint) and compares the stored one with
 * the new snapshot's to tell which customers changed, on either database, without reading the
 * rows back. A hash, so no contact detail is kept twice. Whatever else rewrites a cached
 * figure (a rate change's revaluation) stores the fingerprint of what it wrote.
 */
export function customerFingerprint(s: CustomerSnapshot): string {
  const f = s.figures;
  let text = `${f.name}${UNIT}${textOf(f.company)}${UNIT}${textOf(f.email)}${UNIT}${textOf(f.phone)}${UNIT}${f.markets}${UNIT}${f.orderCount}${UNIT}${f.lifetimeUsdCents}${UNIT}${f.unknownCurrencies}${UNIT}${dateOf(f.lastOrderAt)}${UNIT}${dateOf(f.rateDate)}${UNIT}${f.searchText}${UNIT}${dateOf(f.firstOrderAt)}${UNIT}${numberOf(f.rhythmIntervalMs)}${UNIT}${numberOf(f.rhythmNextMs)}`;
  const totals = s.totals.length > 1 ? [...s.totals].sort(byCurrency) : s.totals;
  for (const t of totals)
    text += `${ROW}${t.currency}${UNIT}${t.market}${UNIT}${t.orderCount}${UNIT}${t.lifetimeMinor}${UNIT}${dateOf(t.lastOrderAt)}${UNIT}${dateOf(t.firstOrderAt)}`;
  return hash('sha256', text, 'base64');
}

/** What one customer of a chunk needs: its figures written (new or changed), a lead created. */
export interface PendingWork {
  known: boolean;
  changed: boolean;
  needsLead: boolean;
}
