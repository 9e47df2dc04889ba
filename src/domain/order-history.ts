import {
  formatAmount,
  formatUsd,
  type ParsedAmount,
  parseAmount,
  type RateTable,
  type RateUsed,
  ratesUsed,
  sumAmounts,
  sumUsd,
  toUsd,
  type UsdConversion,
  type UsdSum,
} from '../common/money';
import type { OrderRow, ProductionReader } from '../production/types';

/** One order as shown to a user: local amount, its USD value and the rate behind it. */
export interface OrderHistoryLine {
  orderId: string;
  createdAt: Date;
  market: string;
  currency: string;
  /** Fulfilment status as production names it. */
  status: string;
  /** Exact local amount (minor units, or the decimal as given for an unknown currency). */
  amount: ParsedAmount;
  /** "KWD 1,234.567" */
  localFormatted: string;
  /** USD cents with the rate and rate date used, or the unknown-currency marker. */
  usd: UsdConversion;
  /** "$1,234.56", or null when the currency has no USD rate. */
  usdFormatted: string | null;
}

/** All orders of one currency, summed exactly in that currency and then converted once. */
export interface CurrencyTotal {
  currency: string;
  orderCount: number;
  amount: ParsedAmount;
  localFormatted: string;
  usd: UsdConversion;
  usdFormatted: string | null;
}

export interface OrderHistory {
  customerId: string;
  /** Newest first. */
  orders: OrderHistoryLine[];
  /** One entry per currency, sorted by currency code. */
  totalsByCurrency: CurrencyTotal[];
  /**
   * Sum of the per-currency totals in USD. Each currency total is converted once (as the
   * lifetime figure from the Customers card is), so it can differ by a cent or so from the
   * sum of the rounded order lines; `incomplete` names currencies without a rate.
   */
  usdTotal: UsdSum;
  /** The distinct rate dates behind every USD figure here, oldest first. */
  rateDates: Date[];
  /** Each rate behind the USD figures here (one per currency, by currency), with its date. */
  ratesUsed: RateUsed[];
  /** Orders production returned that did not fit the card (logged by the client). */
  rejectedCount: number;
}

function line(row: OrderRow, rates: RateTable): OrderHistoryLine {
  // The client has already refused malformed or over-precise amounts, so this cannot throw
  // for a row that came through it; a hand-built row that does is a programming error.
  const amount = parseAmount(row.total, row.currency);
  const usd = toUsd(amount, rates);
  return {
    orderId: row.orderId,
    createdAt: row.createdAt,
    market: row.market,
    currency: row.currency,
    status: row.status,
    amount,
    localFormatted: formatAmount(amount),
    usd,
    usdFormatted: usd.kind === 'usd' ? formatUsd(usd.usdCents) : null,
  };
}

/**
 * One customer's order history from the Orders card, in local currency and USD.
 * Throws ProductionError when Metabase cannot be read (the caller shows its userMessage).
 */
export async function getOrderHistory(
  production: ProductionReader,
  rates: RateTable,
  customerId: string,
): Promise<OrderHistory> {
  const { rows, rejected } = await production.fetchOrders(customerId);
  return buildOrderHistory(customerId, rows, rejected.length, rates);
}

/** The pure part of getOrderHistory, for callers that already hold the rows. */
export function buildOrderHistory(
  customerId: string,
  rows: readonly OrderRow[],
  rejectedCount: number,
  rates: RateTable,
): OrderHistory {
  const orders = rows.map((r) => line(r, rates));
  orders.sort(
    (a, b) =>
      b.createdAt.getTime() - a.createdAt.getTime() || (a.orderId < b.orderId ? 1 : a.orderId > b.orderId ? -1 : 0),
  );

  const byCurrency = new Map<string, OrderHistoryLine[]>();
  for (const o of orders) {
    const list = byCurrency.get(o.currency);
    if (list) list.push(o);
    else byCurrency.set(o.currency, [o]);
  }
  const totalsByCurrency = [...byCurrency.keys()].sort().map((currency): CurrencyTotal => {
    const lines = byCurrency.get(currency)!;
    const amount = sumAmounts(
      currency,
      lines.map((l) => l.amount),
    );
    const usd = toUsd(amount, rates);
    return {
      currency,
      orderCount: lines.length,
      amount,
      localFormatted: formatAmount(amount),
      usd,
      usdFormatted: usd.kind === 'usd' ? formatUsd(usd.usdCents) : null,
    };
  });
  const usdTotal = sumUsd(totalsByCurrency.map((t) => t.usd));
  return {
    customerId,
    orders,
    totalsByCurrency,
    usdTotal,
    rateDates: usdTotal.rateDates,
    ratesUsed: ratesUsed(totalsByCurrency.map((t) => t.usd)),
    rejectedCount,
  };
}
