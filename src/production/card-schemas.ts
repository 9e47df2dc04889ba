import { z } from 'zod';
import { currencyExponent, decimalToMinor, MoneyError } from '../domain/money';
import { toCount, toDecimalText, toIdText, toIsoDate, toOptionalText } from './coerce';
import type { CardResult, CustomerCurrencyRow, OrderRow, RejectedRow } from './types';

/**
 * The zod schemas of the two saved questions and the key normalisation in front of them.
 *
 * Export rows are keyed by column title, which is the SQL name (`customer_id`) or a
 * humanised title (`Customer ID`) depending on how the card was saved. Keys are compared
 * lower-cased with spaces, underscores and hyphens removed, so both read the same.
 * Issue messages name the column and the problem, never the value: they are logged, and
 * values can be personal data.
 */

export function normaliseColumnKey(key: string): string {
  return key.toLowerCase().replace(/[\s_-]+/g, '');
}

function field<T>(coerce: (v: unknown) => T | null | undefined, problem: string) {
  return z.unknown().transform((value, ctx): T => {
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: 'missing' });
      return z.NEVER;
    }
    const out = coerce(value);
    if (out === null || out === undefined) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return out;
  });
}

const idText = field(toIdText, 'must be non-empty text or an integer');
const requiredText = field((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null), 'must be non-empty text');
const optionalText = z.unknown().transform((value, ctx): string | null => {
  const out = toOptionalText(value);
  if (out === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be text or empty' });
    return z.NEVER;
  }
  return out;
});
const marketCode = field(
  (v) => (typeof v === 'string' && /^\s*[A-Za-z]{2,3}\s*$/.test(v) ? v.trim().toUpperCase() : null),
  'must be a 2- or 3-letter market code',
);
const currencyCode = field(
  (v) => (typeof v === 'string' && /^\s*[A-Za-z]{3}\s*$/.test(v) ? v.trim().toUpperCase() : null),
  'must be a 3-letter currency code',
);
const count = field(toCount, 'must be a whole number, zero or more');
const decimalText = field(toDecimalText, 'must be a plain decimal number');
const isoDate = field(toIsoDate, 'must be an ISO 8601 date');

/** Customers card columns, by SQL name; the transform gives the contract's row shape. */
export const customerRowSchema = z
  .object({
    customer_id: idText,
    customer_name: requiredText,
    company: optionalText,
    email: optionalText,
    phone: optionalText,
    market: marketCode,
    currency: currencyCode,
    order_count: count,
    lifetime_total: decimalText,
    last_order_at: isoDate,
  })
  .transform(
    (r): CustomerCurrencyRow => ({
      customerId: r.customer_id,
      customerName: r.customer_name,
      company: r.company,
      email: r.email,
      phone: r.phone,
      market: r.market,
      currency: r.currency,
      orderCount: r.order_count,
      lifetimeTotal: r.lifetime_total,
      lastOrderAt: r.last_order_at,
    }),
  );

/** Orders card columns, by SQL name. */
export const orderRowSchema = z
  .object({
    order_id: idText,
    created_at: isoDate,
    market: marketCode,
    currency: currencyCode,
    total: decimalText,
    status: requiredText,
  })
  .transform(
    (r): OrderRow => ({
      orderId: r.order_id,
      createdAt: r.created_at,
      market: r.market,
      currency: r.currency,
      total: r.total,
      status: r.status,
    }),
  );

interface CardSpec<T> {
  schema: z.ZodType<T>;
  /** SQL names of the card's columns. */
  columns: readonly string[];
  /** The amount column and how to read the row's amount and currency, for the precision check. */
  amountColumn: string;
  amountOf(row: T): { amount: string; currency: string };
}

export const CUSTOMERS_CARD: CardSpec<CustomerCurrencyRow> = {
  schema: customerRowSchema,
  columns: ['customer_id', 'customer_name', 'company', 'email', 'phone', 'market', 'currency', 'order_count', 'lifetime_total', 'last_order_at'],
  amountColumn: 'lifetime_total',
  amountOf: (r) => ({ amount: r.lifetimeTotal, currency: r.currency }),
};

export const ORDERS_CARD: CardSpec<OrderRow> = {
  schema: orderRowSchema,
  columns: ['order_id', 'created_at', 'market', 'currency', 'total', 'status'],
  amountColumn: 'total',
  amountOf: (r) => ({ amount: r.total, currency: r.currency }),
};

function issuesToReason(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ');
}

/**
 * Validates every row of a card's export. A row that does not fit is returned in
 * `rejected` with its position and reason; the others are kept. An amount with more
 * decimals than its (known) currency has is rejected here, at the boundary, so money code
 * downstream never meets it.
 */
export function parseCardRows<T>(spec: CardSpec<T>, rawRows: readonly unknown[]): CardResult<T> {
  const byNormalisedKey = new Map(spec.columns.map((c) => [normaliseColumnKey(c), c]));
  // Title -> column, computed once per distinct key: the rows share their keys.
  const keyCache = new Map<string, string | null>();
  const rows: T[] = [];
  const rejected: RejectedRow[] = [];

  for (let index = 0; index < rawRows.length; index++) {
    const raw = rawRows[index];
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      rejected.push({ index, reason: 'row: not an object keyed by column' });
      continue;
    }
    const keyed: Record<string, unknown> = {};
    for (const key in raw) {
      let column = keyCache.get(key);
      if (column === undefined) {
        column = byNormalisedKey.get(normaliseColumnKey(key)) ?? null;
        keyCache.set(key, column);
      }
      // First spelling wins if a card somehow has both `customer_id` and `Customer ID`.
      if (column !== null && !(column in keyed)) keyed[column] = (raw as Record<string, unknown>)[key];
    }
    const parsed = spec.schema.safeParse(keyed);
    if (!parsed.success) {
      rejected.push({ index, reason: issuesToReason(parsed.error) });
      continue;
    }
    const { amount, currency } = spec.amountOf(parsed.data);
    const exponent = currencyExponent(currency);
    if (exponent !== undefined) {
      try {
        decimalToMinor(amount, exponent);
      } catch (err) {
        if (!(err instanceof MoneyError)) throw err;
        rejected.push({ index, reason: `${spec.amountColumn}: ${err.message} for ${currency}` });
        continue;
      }
    }
    rows.push(parsed.data);
  }
  return { rows, rejected };
}
