import { currencyExponent, UNREADABLE_ROW } from '../common/money';
import { type StageLabels, stageLabel } from '../common/stages';
import { formatLocalDate, formatTimeOfDay, localDateTimeOf } from '../common/zoned-time';
import { csvRecord } from './csv';

/**
 * A lead export's rows and their CSV text, with nothing else: no database, no Slack. Loaded
 * on its own by the thread that writes a SQLite export (src/exports/lead-csv-worker.ts), and
 * by lead-export.ts for every other path, so both write the same bytes.
 */

export interface CurrencyTotal {
  currency: string;
  minor: bigint;
}

export interface LeadExportRow {
  customerId: string;
  name: string;
  company: string | null;
  stage: string;
  ownerId: string | null;
  markets: string[];
  lifetimeUsdCents: bigint;
  /** Currencies left out of the USD figure (no rate, or amounts that could not be read). */
  unknownCurrencies: string[];
  totals: CurrencyTotal[];
  lastOrderAt: Date | null;
  lastTouchAt: Date | null;
  nextFollowUpAt: Date | null;
}

/** Exact decimal text of minor units, no grouping, so spreadsheets read it as a number: "-1234.50". */
export function minorToDecimal(minor: bigint, exponent: number): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  const whole = exponent ? `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}` : digits;
  return negative ? `-${whole}` : whole;
}

function localDateTime(at: Date | null, timeZone: string): string {
  if (!at) return '';
  const local = localDateTimeOf(at, timeZone);
  return `${formatLocalDate(local.day)} ${formatTimeOfDay(local.minutes)}`;
}

export interface CsvOptions {
  stageLabels: StageLabels;
  /** Dates are written as local "YYYY-MM-DD HH:MM" in this zone, named in the header. */
  timeZone: string;
  /** Owner display names by Slack id; an unknown owner shows as the id alone. */
  ownerNames: ReadonlyMap<string, string>;
}

/** The CSV's header: fixed columns, then one column per currency, then the dates in the reader's zone. */
export function csvHeader(currencies: readonly string[], zone: string): string[] {
  return [
    'Customer ID',
    'Name',
    'Company',
    'Stage',
    'Owner',
    'Owner Slack ID',
    'Markets',
    'Lifetime USD',
    'Not converted to USD',
    ...currencies.map((c) => `Lifetime ${c}`),
    `Last order (${zone})`,
    `Last touch (${zone})`,
    `Next follow-up (${zone})`,
  ];
}

export function csvCells(r: LeadExportRow, currencies: readonly string[], options: CsvOptions): (string | null)[] {
  const zone = options.timeZone;
  const byCurrency = new Map(r.totals.map((t) => [t.currency, t.minor]));
  return [
    r.customerId,
    r.name,
    r.company,
    stageLabel(r.stage, options.stageLabels),
    r.ownerId ? (options.ownerNames.get(r.ownerId) ?? r.ownerId) : '',
    r.ownerId,
    r.markets.join(', '),
    minorToDecimal(r.lifetimeUsdCents, 2),
    r.unknownCurrencies.map((c) => (c === UNREADABLE_ROW ? 'a row that could not be read' : c)).join(', '),
    ...currencies.map((c) => {
      const minor = byCurrency.get(c);
      const exponent = currencyExponent(c);
      return minor === undefined || exponent === undefined ? '' : minorToDecimal(minor, exponent);
    }),
    localDateTime(r.lastOrderAt, zone),
    localDateTime(r.lastTouchAt, zone),
    localDateTime(r.nextFollowUpAt, zone),
  ];
}

/** The CSV records of `rows` (no header), one CRLF-terminated line each. */
export function csvRecordsOf(
  rows: readonly LeadExportRow[],
  currencies: readonly string[],
  options: CsvOptions,
): string {
  let text = '';
  for (const r of rows) text += csvRecord(csvCells(r, currencies, options));
  return text;
}
