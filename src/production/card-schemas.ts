import { z } from 'zod';
import { currencyExponent } from '../common/money';
import { toCount, toDecimalText, toIdText, toIsoDate, toOptionalText } from './coerce';
import type { CardResult, CustomerCurrencyRow, OrderRow, RejectedRow, RowSink } from './types';

/**
 * The zod schemas of the two saved questions, and the key normalisation in front of them.
 *
 * Export rows are keyed by column title, which is the SQL name (`customer_id`) or a
 * humanised title (`Customer ID`) depending on how the card was saved. Keys are compared
 * lower-cased with spaces, underscores and hyphens removed, so both read the same.
 *
 * Each row goes through two steps: the zod schema checks that every column is there with
 * a usable type (and the simple forms: non-blank text, market and currency codes), then a
 * plain function coerces the checked values into the contract's row (numbers from strings,
 * Date objects, exact decimal text), refusing what does not read (e.g. 30 February).
 * Keeping transforms out of the zod schemas keeps 100,000 rows well under a second: zod's
 * per-row transform/pipe machinery cost several times more than the checks.
 *
 * Issue messages name the column and the problem, never the value: they are logged, and
 * values can be personal data.
 */

export function normaliseColumnKey(key: string): string {
  return key.toLowerCase().replace(/[\s_-]+/g, '');
}

/** "missing" for an absent column, else the column's own problem. */
function problem(text: string) {
  return { error: (issue: { input?: unknown }) => (issue.input === undefined ? 'missing' : text) };
}

/**
 * "Text or number" columns are z.custom type guards rather than z.union: a union tries its
 * options in turn and builds an issue for each one that fails, on every row.
 */
const isText = (v: unknown): v is string => typeof v === 'string';
const isTextOrNumber = (v: unknown): v is string | number => typeof v === 'string' || typeof v === 'number';

const ID_PROBLEM = 'must be non-empty text or an integer';
const idField = z.custom<string | number>(
  (v) => (isText(v) ? /\S/.test(v) : Number.isSafeInteger(v)),
  problem(ID_PROBLEM),
);
const textField = z.string(problem('must be text')).regex(/\S/, { error: 'must not be blank' });
/** A nullable column: null or blank means "none", but the column itself must be in the card. */
const optionalTextField = z.custom<string | number | null>(
  (v) => v === null || isTextOrNumber(v),
  problem('must be text or empty'),
);
const MARKET_PROBLEM = 'must be a 2- or 3-letter market code';
const marketField = z.string(problem(MARKET_PROBLEM)).regex(/^\s*[A-Za-z]{2,3}\s*$/, { error: MARKET_PROBLEM });
const CURRENCY_PROBLEM = 'must be a 3-letter currency code';
const currencyField = z.string(problem(CURRENCY_PROBLEM)).regex(/^\s*[A-Za-z]{3}\s*$/, { error: CURRENCY_PROBLEM });
// The next three are only type checks in zod: their form (digits, dates) is checked once,
// by the coercion that reads them, rather than by a second regex here.
const COUNT_PROBLEM = 'must be a whole number, zero or more';
const countField = z.custom<string | number>(isTextOrNumber, problem(COUNT_PROBLEM));
const DECIMAL_PROBLEM = 'must be a plain decimal number';
const decimalField = z.custom<string | number>(isTextOrNumber, problem(DECIMAL_PROBLEM));
const DATE_PROBLEM = 'must be an ISO 8601 date';
const dateField = z.string(problem(DATE_PROBLEM));

/**
 * The same checks as the schemas, compiled by hand into one function per card: it answers
 * only "fits or not". Nearly every row fits, and zod's per-row machinery (a result object,
 * a context, a call per check) costs more than the checks; a row that does not fit goes
 * through zod, which words the reason. The two must agree: test/unit/card-precheck.test.ts
 * compares them value by value.
 */
const NOT_BLANK = /\S/;
const MARKET_RE = /^\s*[A-Za-z]{2,3}\s*$/;
const CURRENCY_RE = /^\s*[A-Za-z]{3}\s*$/;
const idFits = (v: unknown) => (typeof v === 'string' ? NOT_BLANK.test(v) : Number.isSafeInteger(v));
const textFits = (v: unknown) => typeof v === 'string' && NOT_BLANK.test(v);
const optionalTextFits = (v: unknown) => v === null || typeof v === 'string' || typeof v === 'number';
const textOrNumberFits = (v: unknown) => typeof v === 'string' || typeof v === 'number';

/** The Customers card, one row per customer and currency, columns by SQL name. */
export const customerRowSchema = z.object({
  customer_id: idField,
  customer_name: textField,
  company: optionalTextField,
  email: optionalTextField,
  phone: optionalTextField,
  market: marketField,
  currency: currencyField,
  order_count: countField,
  lifetime_total: decimalField,
  last_order_at: dateField,
  /** Optional column: without it (or with a null) the customer's order rhythm is unknown. */
  first_order_at: dateField.nullable().optional(),
});

/** Columns a card may leave out altogether (the doctor names them as optional). */
export const OPTIONAL_CUSTOMER_COLUMNS: readonly string[] = ['first_order_at'];

function customerRowFits(r: Record<string, unknown>): boolean {
  return (
    idFits(r.customer_id) &&
    textFits(r.customer_name) &&
    optionalTextFits(r.company) &&
    optionalTextFits(r.email) &&
    optionalTextFits(r.phone) &&
    typeof r.market === 'string' &&
    MARKET_RE.test(r.market) &&
    typeof r.currency === 'string' &&
    CURRENCY_RE.test(r.currency) &&
    textOrNumberFits(r.order_count) &&
    textOrNumberFits(r.lifetime_total) &&
    typeof r.last_order_at === 'string' &&
    (r.first_order_at === undefined || r.first_order_at === null || typeof r.first_order_at === 'string')
  );
}

/** The Orders card, one row per order, columns by SQL name. */
export const orderRowSchema = z.object({
  order_id: idField,
  created_at: dateField,
  market: marketField,
  currency: currencyField,
  total: decimalField,
  status: textField,
});

function orderRowFits(r: Record<string, unknown>): boolean {
  return (
    idFits(r.order_id) &&
    typeof r.created_at === 'string' &&
    typeof r.market === 'string' &&
    MARKET_RE.test(r.market) &&
    typeof r.currency === 'string' &&
    CURRENCY_RE.test(r.currency) &&
    textOrNumberFits(r.total) &&
    textFits(r.status)
  );
}

/** A column whose value passed the schema but still cannot be used (e.g. 30 February). */
class ColumnProblem extends Error {
  constructor(
    readonly column: string,
    readonly problem: string,
  ) {
    super(`${column}: ${problem}`);
  }
}

function need<T>(value: T | null | undefined, column: string, message: string): T {
  if (value === null || value === undefined) throw new ColumnProblem(column, message);
  return value;
}

/**
 * An amount must fit its currency's exponent ("12.345" is not a USD amount; "12.3400" is).
 * Checked here, at the boundary, so money code downstream never meets it; an unknown
 * currency passes and is flagged as incomplete later. String checks only: this runs for
 * every row, and the exact parse into minor units happens once, where the amount is used.
 */
function checkPrecision(column: string, amount: string, currency: string): void {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) return;
  const point = amount.indexOf('.');
  if (point === -1 || amount.length - point - 1 <= exponent) return;
  for (let i = point + 1 + exponent; i < amount.length; i++) {
    if (amount.charCodeAt(i) !== 48 /* 0 */) {
      throw new ColumnProblem(column, `has more than ${exponent} decimal${exponent === 1 ? '' : 's'} for ${currency}`);
    }
  }
}

/**
 * Market and currency codes, upper-cased and shared: a handful of distinct values across
 * 100,000 rows, so one string each instead of one per row.
 */
const codes = new Map<string, string>();
function code(raw: string): string {
  let c = codes.get(raw);
  if (c === undefined) {
    c = raw.trim().toUpperCase();
    if (codes.size < 1000) codes.set(raw, c);
  }
  return c;
}

/** An amount column as exact decimal text that fits its currency's exponent. */
function amountText(column: string, value: string | number, currency: string): string {
  const amount = need(toDecimalText(value), column, DECIMAL_PROBLEM);
  checkPrecision(column, amount, currency);
  return amount;
}

function toCustomerRow(r: z.infer<typeof customerRowSchema>): CustomerCurrencyRow {
  const currency = code(r.currency);
  return {
    customerId: need(toIdText(r.customer_id), 'customer_id', ID_PROBLEM),
    customerName: r.customer_name.trim(),
    company: toOptionalText(r.company) ?? null,
    email: toOptionalText(r.email) ?? null,
    phone: toOptionalText(r.phone) ?? null,
    market: code(r.market),
    currency,
    orderCount: need(toCount(r.order_count), 'order_count', COUNT_PROBLEM),
    lifetimeTotal: amountText('lifetime_total', r.lifetime_total, currency),
    lastOrderAt: need(toIsoDate(r.last_order_at), 'last_order_at', DATE_PROBLEM),
    firstOrderAt:
      r.first_order_at === undefined || r.first_order_at === null || r.first_order_at.trim() === ''
        ? null
        : need(toIsoDate(r.first_order_at), 'first_order_at', DATE_PROBLEM),
  };
}

function toOrderRow(r: z.infer<typeof orderRowSchema>): OrderRow {
  const currency = code(r.currency);
  return {
    orderId: need(toIdText(r.order_id), 'order_id', ID_PROBLEM),
    createdAt: need(toIsoDate(r.created_at), 'created_at', DATE_PROBLEM),
    market: code(r.market),
    currency,
    total: amountText('total', r.total, currency),
    status: r.status.trim(),
  };
}

export interface CardSpec<S extends z.ZodType, T> {
  schema: S;
  /** SQL names of the card's columns. */
  columns: readonly string[];
  /** Those of `columns` a card may leave out. */
  optional?: readonly string[];
  /** True exactly when `schema` accepts the row (a fast answer; zod words the reasons). */
  fits(keyed: Record<string, unknown>): boolean;
  toRow(checked: z.infer<S>): T;
  /** What a refused row was still about (its customer and currency), from whatever columns read. */
  identify?(keyed: Record<string, unknown>): Pick<RejectedRow, 'customerId' | 'currency'>;
}

/** A refused Customers row's id and currency, each only if it reads on its own. */
function identifyCustomerRow(r: Record<string, unknown>): Pick<RejectedRow, 'customerId' | 'currency'> {
  const customerId = toIdText(r.customer_id) ?? undefined;
  const currency = typeof r.currency === 'string' && CURRENCY_RE.test(r.currency) ? code(r.currency) : undefined;
  return { ...(customerId ? { customerId } : {}), ...(currency ? { currency } : {}) };
}

export const CUSTOMERS_CARD: CardSpec<typeof customerRowSchema, CustomerCurrencyRow> = {
  schema: customerRowSchema,
  columns: Object.keys(customerRowSchema.shape),
  optional: OPTIONAL_CUSTOMER_COLUMNS,
  fits: customerRowFits,
  toRow: toCustomerRow,
  identify: identifyCustomerRow,
};

export const ORDERS_CARD: CardSpec<typeof orderRowSchema, OrderRow> = {
  schema: orderRowSchema,
  columns: Object.keys(orderRowSchema.shape),
  fits: orderRowFits,
  toRow: toOrderRow,
};

/**
 * Which raw key holds each column, from one row's keys. Metabase gives every row the same
 * titles, so the plan of the first row fits the rest; reading `raw[key]` with a fixed key
 * is much cheaper than normalising every key of every row.
 */
function keyPlan(columns: readonly string[], raw: object): (string | undefined)[] {
  const byNormalised = new Map<string, string>();
  for (const key of Object.keys(raw)) {
    const n = normaliseColumnKey(key);
    // First spelling wins if a card somehow has both `customer_id` and `Customer ID`.
    if (!byNormalised.has(n)) byNormalised.set(n, key);
  }
  return columns.map((c) => byNormalised.get(normaliseColumnKey(c)));
}

function keyedBy(
  columns: readonly string[],
  plan: (string | undefined)[],
  raw: Record<string, unknown>,
  optional: readonly string[] = [],
): { keyed: Record<string, unknown>; complete: boolean } {
  const keyed: Record<string, unknown> = {};
  let complete = true;
  for (let i = 0; i < columns.length; i++) {
    const key = plan[i];
    const value = key === undefined ? undefined : raw[key];
    // A card without an optional column is complete: no second look at every row's keys.
    if (value === undefined && !optional.includes(columns[i]!)) complete = false;
    keyed[columns[i]!] = value;
  }
  return { keyed, complete };
}

function reasonOf(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ');
}

/**
 * Validates a card's rows as they arrive, in batches. A row that does not fit is kept
 * apart in `rejected` with its position and reason; the others are kept, in order, or
 * handed to `sink` batch by batch when there is one (then only counted here).
 */
export class CardRowReader<S extends z.ZodType, T> {
  private readonly rows: T[] = [];
  private readonly rejected: RejectedRow[] = [];
  private plan: (string | undefined)[] | null = null;
  private columns: string[] | null = null;
  private index = 0;
  /** Rows that passed. */
  kept = 0;

  constructor(
    private readonly spec: CardSpec<S, T>,
    private readonly sink?: Pick<RowSink<T>, 'rows'>,
  ) {}

  push(rawRows: readonly unknown[]): void {
    const { spec } = this;
    const batch: T[] = this.sink ? [] : this.rows;
    const before = batch.length;
    for (const raw of rawRows) {
      const index = this.index++;
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        this.rejected.push({ index, reason: 'row: not an object keyed by column' });
        continue;
      }
      if (this.plan === null) {
        this.plan = keyPlan(spec.columns, raw);
        this.columns = Object.keys(raw);
      }
      let { keyed, complete } = keyedBy(spec.columns, this.plan, raw as Record<string, unknown>, spec.optional);
      // A column missing under the usual title: look at this row's own keys before rejecting it.
      if (!complete) ({ keyed } = keyedBy(spec.columns, keyPlan(spec.columns, raw), raw as Record<string, unknown>));

      // A row that fits is exactly what the schema would hand back (no transforms in it).
      let checked = keyed as z.infer<S>;
      if (!spec.fits(keyed)) {
        const parsed = spec.schema.safeParse(keyed);
        if (!parsed.success) {
          this.rejected.push({ index, reason: reasonOf(parsed.error), ...spec.identify?.(keyed) });
          continue;
        }
        checked = parsed.data;
      }
      try {
        batch.push(spec.toRow(checked));
      } catch (err) {
        if (!(err instanceof ColumnProblem)) throw err;
        this.rejected.push({ index, reason: err.message, ...spec.identify?.(keyed) });
      }
    }
    this.kept += batch.length - before;
    if (this.sink && batch.length) this.sink.rows(batch);
  }

  result(): CardResult<T> {
    return { rows: this.rows, rejected: this.rejected, ...(this.columns ? { columns: this.columns } : {}) };
  }
}

/** Validates a whole card export at once (see CardRowReader). */
export function parseCardRows<S extends z.ZodType, T>(
  spec: CardSpec<S, T>,
  rawRows: readonly unknown[],
): CardResult<T> {
  const reader = new CardRowReader(spec);
  reader.push(rawRows);
  return reader.result();
}
