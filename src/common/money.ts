/**
 * Exact money. Amounts arrive from production as decimal strings, become integer minor
 * units (bigint) by their ISO 4217 exponent, are converted to USD cents with one stated
 * rounding rule and summed as integers. No binary floating point anywhere on this path:
 * a float cannot hold 0.1 or a KWD fils exactly, and sums of floats drift.
 */

/** ISO 4217 minor-unit exponents of the 11 markets' currencies (docs/product.md "Markets and currencies"). */
export const MARKET_CURRENCY_EXPONENTS = {
  AED: 2,
  SAR: 2,
  KWD: 3,
  QAR: 2,
  BHD: 3,
  OMR: 3,
  EGP: 2,
  INR: 2,
  PKR: 2,
  LKR: 2,
  USD: 2,
} as const;

/**
 * ISO 4217 codes by exponent (minor units), the active list plus a few recently withdrawn
 * codes (HRK, SLL, ZWL, CUC) that old orders may still carry. Codes with no minor unit in
 * the standard (XAU, XDR and other funds and metals) are left out on purpose. These are
 * ISO's exponents, not the display decimals of a locale: ISO gives PKR and IQD 2 and 3
 * where CLDR shows 0. A code not listed here is "unknown": its amounts can be shown as
 * given but never converted or counted, and an admin cannot give it a rate.
 */
const ISO_4217_CODES_BY_EXPONENT: Readonly<Record<0 | 2 | 3 | 4, string>> = {
  0: 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF',
  2: `
  AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD
  CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL
  GHS GIP GMD GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR
  LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB
  PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP
  SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL`,
  3: 'BHD IQD JOD KWD LYD OMR TND',
  4: 'CLF UYW',
};

const ISO_4217_EXPONENTS: ReadonlyMap<string, number> = new Map(
  Object.entries(ISO_4217_CODES_BY_EXPONENT).flatMap(([exponent, codes]) =>
    codes
      .trim()
      .split(/\s+/)
      .map((code) => [code, Number(exponent)] as const),
  ),
);

/** The exponent of an ISO 4217 code, or undefined for a code we do not know. */
export function currencyExponent(currency: string): number | undefined {
  return (MARKET_CURRENCY_EXPONENTS as Record<string, number>)[currency] ?? ISO_4217_EXPONENTS.get(currency);
}

export function isKnownCurrency(currency: string): boolean {
  return currencyExponent(currency) !== undefined;
}

/** A failure to read an amount: malformed text, or more decimals than the currency has. */
export class MoneyError extends Error {
  constructor(
    readonly code: 'invalid_decimal' | 'too_precise',
    message: string,
  ) {
    super(message);
    this.name = 'MoneyError';
  }
}

/** An exact decimal: value = units / 10^scale. */
export interface Decimal {
  units: bigint;
  scale: number;
}

/**
 * Plain decimal notation only: optional sign, digits, optional fraction. Exponent notation
 * ("1e3"), grouping ("1,234") and bare points (".5") are refused: production's cards return
 * plain numbers with format_rows=false, so anything else means the data is not what we think.
 */
const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d+))?$/;

export function isPlainDecimal(text: string): boolean {
  return DECIMAL_RE.test(text);
}

/** Parses a plain decimal string exactly. Throws MoneyError('invalid_decimal'). */
export function parseDecimal(text: string): Decimal {
  const m = DECIMAL_RE.exec(text);
  if (!m) throw new MoneyError('invalid_decimal', 'not a plain decimal number');
  const fraction = m[3] ?? '';
  const magnitude = BigInt(m[2]! + fraction);
  return { units: m[1] === '-' ? -magnitude : magnitude, scale: fraction.length };
}

const POW10: bigint[] = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));
function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

/**
 * Decimal string to integer minor units. Extra trailing zeros are fine ("12.3400" USD is
 * 1234 cents); a non-zero digit beyond the currency's exponent is an error, not a silent
 * rounding: it means production holds a value we cannot represent, and guessing would
 * make totals disagree with production.
 */
export function decimalToMinor(text: string, exponent: number): bigint {
  const { units, scale } = parseDecimal(text);
  if (scale <= exponent) return units * pow10(exponent - scale);
  const divisor = pow10(scale - exponent);
  if (units % divisor !== 0n) {
    throw new MoneyError('too_precise', `has more than ${exponent} decimal${exponent === 1 ? '' : 's'}`);
  }
  return units / divisor;
}

/** An amount in a currency we know, in minor units. */
export interface Money {
  currency: string;
  /** Integer minor units (fils, cents, paisa…), negative for refunds. */
  minor: bigint;
  exponent: number;
}

/** A currency we do not know the exponent (or the rate) of: never counted as zero or as USD. */
export interface UnknownCurrency {
  kind: 'unknown_currency';
  currency: string;
}

export type ParsedAmount = ({ kind: 'money' } & Money) | (UnknownCurrency & { decimal: Decimal });

/**
 * Reads an amount in a currency. An unknown currency is a result, not an error: the caller
 * keeps the figure apart and marks its totals incomplete. Malformed text still throws.
 */
export function parseAmount(text: string, currency: string): ParsedAmount {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) return { kind: 'unknown_currency', currency, decimal: parseDecimal(text) };
  return { kind: 'money', currency, minor: decimalToMinor(text, exponent), exponent };
}

// ---------------------------------------------------------------------------------------
// Rates and conversion

/** The USD value of one unit of a currency, held exactly: usdPerUnit = units / 10^scale. */
export interface UsdRate {
  currency: string;
  /** As stored and shown, e.g. "0.2723". */
  usdPerUnit: string;
  units: bigint;
  scale: number;
  /** The date the rate is valid for; shown next to every USD figure computed with it. */
  rateDate: Date;
}

/** Currency code -> its USD rate. Built by rates.ts from the database (or defaults). */
export type RateTable = ReadonlyMap<string, UsdRate>;

/** Most fractional digits a rate may have; enough for PKR/LKR-size rates with 9+ significant digits. */
export const MAX_RATE_DECIMALS = 12;
/** Largest accepted rate (USD per unit): no currency is worth more than this; a bigger value is a typo. */
export const MAX_RATE_USD_PER_UNIT = 100_000n;

/** Why a rate string was refused, or null when it is a valid rate. No value in the message. */
export function rateProblem(usdPerUnit: string): string | null {
  if (!isPlainDecimal(usdPerUnit)) return 'must be a plain decimal number such as 0.2723';
  const { units, scale } = parseDecimal(usdPerUnit);
  if (units <= 0n) return 'must be greater than zero';
  if (scale > MAX_RATE_DECIMALS) return `may have at most ${MAX_RATE_DECIMALS} decimals`;
  if (units > MAX_RATE_USD_PER_UNIT * pow10(scale)) return `must be at most ${MAX_RATE_USD_PER_UNIT} USD per unit`;
  return null;
}

/** Canonical text of a rate: no sign, no leading zeros, no trailing fractional zeros. */
export function normaliseDecimalText(text: string): string {
  const { units, scale } = parseDecimal(text);
  return decimalToText(units, scale);
}

function decimalToText(units: bigint, scale: number): string {
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    const fraction = digits.slice(-scale).replace(/0+$/, '');
    const whole = digits.slice(0, -scale);
    digits = fraction ? `${whole}.${fraction}` : whole;
  }
  return negative && units !== 0n ? `-${digits}` : digits;
}

/** Builds a rate; throws MoneyError if the text is not a valid rate. */
export function makeUsdRate(currency: string, usdPerUnit: string, rateDate: Date): UsdRate {
  const problem = rateProblem(usdPerUnit);
  if (problem) throw new MoneyError('invalid_decimal', `rate for ${currency} ${problem}`);
  const { units, scale } = parseDecimal(usdPerUnit);
  return { currency, usdPerUnit, units, scale, rateDate };
}

export function buildRateTable(rates: Iterable<UsdRate>): RateTable {
  const table = new Map<string, UsdRate>();
  for (const r of rates) table.set(r.currency, r);
  return table;
}

/**
 * Rounds num/den to the nearest integer, halves away from zero: 0.5 -> 1, -0.5 -> -1.
 * "Half-up" on magnitudes, so a refund converts to exactly minus its order and the two
 * cancel in a sum. `den` must be positive.
 */
export function divideRoundHalfAwayFromZero(num: bigint, den: bigint): bigint {
  const negative = num < 0n;
  const magnitude = negative ? -num : num;
  let q = magnitude / den;
  if ((magnitude % den) * 2n >= den) q += 1n;
  return negative ? -q : q;
}

/**
 * Minor units to USD cents at a rate: cents = minor / 10^exponent * rate * 100, rounded
 * once, half away from zero. Exact: the whole product is an integer before the division.
 */
export function minorToUsdCents(minor: bigint, exponent: number, rate: Pick<UsdRate, 'units' | 'scale'>): bigint {
  return divideRoundHalfAwayFromZero(minor * rate.units * 100n, pow10(exponent + rate.scale));
}

/** A converted amount: the cents and the rate (with its date) that produced them. */
export interface UsdAmount {
  kind: 'usd';
  usdCents: bigint;
  currency: string;
  usdPerUnit: string;
  rateDate: Date;
}

/** Why an amount has no USD value: an unknown currency, or a known one without a rate. */
export type UsdConversion = UsdAmount | UnknownCurrency;

/**
 * Converts an amount to USD cents. USD itself goes through the table too (rate 1 by
 * default), so every figure carries a rate date and nothing is special-cased.
 */
export function toUsd(amount: ParsedAmount | Money, rates: RateTable): UsdConversion {
  if ('kind' in amount && amount.kind === 'unknown_currency')
    return { kind: 'unknown_currency', currency: amount.currency };
  const money = amount as Money;
  const rate = rates.get(money.currency);
  if (!rate) return { kind: 'unknown_currency', currency: money.currency };
  return {
    kind: 'usd',
    usdCents: minorToUsdCents(money.minor, money.exponent, rate),
    currency: money.currency,
    usdPerUnit: rate.usdPerUnit,
    rateDate: rate.rateDate,
  };
}

/** Parses and converts in one step: a decimal string in a currency to USD. */
export function decimalToUsd(text: string, currency: string, rates: RateTable): UsdConversion {
  return toUsd(parseAmount(text, currency), rates);
}

/**
 * Stands in a figure's list of unconverted currencies for a production row that was refused
 * and whose currency could not be read either: the figure is incomplete by an unknown amount.
 */
export const UNREADABLE_ROW = '?';

/**
 * Why a figure is incomplete, in words: "GBP, XYZ not converted", "a row that could not be
 * read", or both ("GBP not converted; a row that could not be read").
 */
export function describeUnconverted(codes: readonly string[], max = Number.POSITIVE_INFINITY): string {
  const currencies = codes.filter((c) => c !== UNREADABLE_ROW);
  const shown = currencies.slice(0, max).join(', ');
  const listed = currencies.length > max ? `${shown} and ${currencies.length - max} more` : shown;
  const parts = currencies.length ? [`${listed} not converted`] : [];
  if (codes.includes(UNREADABLE_ROW)) parts.push('a row that could not be read');
  return parts.join('; ');
}

/** A sum in USD that says whether it is whole and which rates it rests on. */
export interface UsdSum {
  usdCents: bigint;
  /** True when some amount could not be converted: the figure is a lower bound, not a total. */
  incomplete: boolean;
  /** Currencies left out, sorted, each once. */
  unknownCurrencies: string[];
  /** The distinct rate dates used, oldest first. */
  rateDates: Date[];
}

export function sumUsd(conversions: Iterable<UsdConversion>): UsdSum {
  let usdCents = 0n;
  const unknown = new Set<string>();
  const dates = new Map<number, Date>();
  for (const c of conversions) {
    if (c.kind === 'usd') {
      usdCents += c.usdCents;
      dates.set(c.rateDate.getTime(), c.rateDate);
    } else {
      unknown.add(c.currency);
    }
  }
  return {
    usdCents,
    incomplete: unknown.size > 0,
    unknownCurrencies: [...unknown].sort(),
    rateDates: [...dates.keys()].sort((a, b) => a - b).map((t) => dates.get(t)!),
  };
}

/** A rate behind a USD figure, named next to it so the figure can be checked by hand. */
export interface RateUsed {
  currency: string;
  /** As stored, exact: e.g. "3.26". */
  usdPerUnit: string;
  rateDate: Date;
}

/**
 * Rates as a reader sees them: one per currency, sorted by currency. A rate of exactly 1
 * for USD is left out: it converts nothing a reader would check.
 */
export function distinctRates(rates: Iterable<RateUsed>): RateUsed[] {
  const byCurrency = new Map<string, RateUsed>();
  for (const r of rates) {
    if (byCurrency.has(r.currency)) continue;
    if (r.currency === 'USD' && normaliseDecimalText(r.usdPerUnit) === '1') continue;
    byCurrency.set(r.currency, { currency: r.currency, usdPerUnit: r.usdPerUnit, rateDate: r.rateDate });
  }
  return [...byCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
}

/** The distinct rates behind some conversions (see distinctRates). */
export function ratesUsed(conversions: Iterable<UsdConversion>): RateUsed[] {
  return distinctRates([...conversions].filter((c): c is UsdAmount => c.kind === 'usd'));
}

/** Exact sum of decimals at their common scale (for amounts whose currency exponent is unknown). */
export function addDecimals(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: a.units * pow10(scale - a.scale) + b.units * pow10(scale - b.scale), scale };
}

/** Sum of parsed amounts of ONE currency, still exact and still in that currency. */
export function sumAmounts(currency: string, amounts: Iterable<ParsedAmount>): ParsedAmount {
  const exponent = currencyExponent(currency);
  if (exponent === undefined) {
    let total: Decimal = { units: 0n, scale: 0 };
    for (const a of amounts) {
      if (a.currency !== currency) throw new MoneyError('invalid_decimal', `cannot add ${a.currency} to ${currency}`);
      total = addDecimals(total, a.kind === 'money' ? { units: a.minor, scale: a.exponent } : a.decimal);
    }
    return { kind: 'unknown_currency', currency, decimal: total };
  }
  let minor = 0n;
  for (const a of amounts) {
    if (a.currency !== currency || a.kind !== 'money')
      throw new MoneyError('invalid_decimal', `cannot add ${a.currency} to ${currency}`);
    minor += a.minor;
  }
  return { kind: 'money', currency, minor, exponent };
}

// ---------------------------------------------------------------------------------------
// Formatting

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Formats a non-negative decimal with grouping: (123456789n, 3) -> "123,456.789". */
function formatMagnitude(units: bigint, scale: number): string {
  const digits = units.toString().padStart(scale + 1, '0');
  if (scale === 0) return groupThousands(digits);
  return `${groupThousands(digits.slice(0, -scale))}.${digits.slice(-scale)}`;
}

function toBigInt(value: bigint | number): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) throw new MoneyError('invalid_decimal', 'cents must be a safe integer');
  return BigInt(value);
}

/** USD cents as shown to users: "$1,234.56", "-$1,234.56", "$0.00". */
export function formatUsd(cents: bigint | number): string {
  const c = toBigInt(cents);
  const negative = c < 0n;
  return `${negative ? '-' : ''}$${formatMagnitude(negative ? -c : c, 2)}`;
}

/** A local amount with its code and the currency's decimals: "KWD 1,234.567", "AED -12.50". */
export function formatMinor(minor: bigint, currency: string, exponent = currencyExponent(currency)): string {
  if (exponent === undefined) throw new MoneyError('invalid_decimal', `unknown currency ${currency}`);
  const negative = minor < 0n;
  return `${currency} ${negative ? '-' : ''}${formatMagnitude(negative ? -minor : minor, exponent)}`;
}

/** Any parsed amount, including one in an unknown currency (shown with the decimals it came with). */
export function formatAmount(amount: ParsedAmount): string {
  if (amount.kind === 'money') return formatMinor(amount.minor, amount.currency, amount.exponent);
  const { units, scale } = amount.decimal;
  const negative = units < 0n;
  return `${amount.currency} ${negative ? '-' : ''}${formatMagnitude(negative ? -units : units, scale)}`;
}

/** "rates of 2026-11-20" style date label (UTC calendar date) for captions next to USD figures. */
export function formatRateDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Fewest decimals a rate is shown with ("$3.2600"), so rates line up and read as rates, not prices. */
export const RATE_MIN_DECIMALS = 4;

/**
 * "1 KWD = $3.2600": the rate exactly as stored, padded to RATE_MIN_DECIMALS and never
 * rounded ("1 PKR = $0.00355"), so a reader can redo the conversion. Not grouped, so it
 * can be copied into a calculator.
 */
export function formatUsdRate(rate: Pick<RateUsed, 'currency' | 'usdPerUnit'>): string {
  const { units, scale } = parseDecimal(rate.usdPerUnit);
  const shown = Math.max(scale, RATE_MIN_DECIMALS);
  const digits = (units * pow10(shown - scale)).toString().padStart(shown + 1, '0');
  return `1 ${rate.currency} = $${digits.slice(0, -shown)}.${digits.slice(-shown)}`;
}

/** "1 KWD = $3.2600 (2025-11-24)": a rate with the date it is valid for. */
export function formatRateUsed(rate: RateUsed): string {
  return `${formatUsdRate(rate)} (${formatRateDate(rate.rateDate)})`;
}

/**
 * A USD sum as one line: "$1,234.56", or "$1,234.56 (incomplete: no USD rate for GBP, XYZ)"
 * so an incomplete figure never passes for a total.
 */
export function formatUsdSum(sum: UsdSum): string {
  const amount = formatUsd(sum.usdCents);
  return sum.incomplete ? `${amount} (incomplete: no USD rate for ${sum.unknownCurrencies.join(', ')})` : amount;
}
