import { isPlainDecimal } from '../common/money';

/**
 * Value coercions for Metabase export rows. With format_rows=false Metabase sends numbers
 * as JSON numbers and dates as ISO 8601 text, but columns typed as text in the card (or a
 * cast in its SQL) arrive as strings; both shapes must read the same.
 */

/**
 * A JSON number as the shortest plain decimal text that reads back as the same double:
 * 1234.567 -> "1234.567", 1e-7 -> "0.0000001", 1e21 -> "1000000000000000000000".
 * JavaScript's own number-to-string is already the shortest round-trip form; we only
 * expand its exponent notation with string operations, so no float arithmetic is done.
 * (Digits beyond a double's ~15-17 significant digits are lost by JSON.parse before we
 * see them; money amounts are far inside that.)
 */
export function numberToDecimalText(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError('not a finite number');
  const text = String(n);
  const e = text.indexOf('e');
  if (e === -1) return text;
  const exponent = Number(text.slice(e + 1));
  let mantissa = text.slice(0, e);
  const negative = mantissa.startsWith('-');
  if (negative) mantissa = mantissa.slice(1);
  const point = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  // Position of the decimal point counted from the left of `digits`.
  const pointAt = (point === -1 ? mantissa.length : point) + exponent;
  let out: string;
  if (pointAt <= 0) out = `0.${'0'.repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) out = digits + '0'.repeat(pointAt - digits.length);
  else out = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return negative ? `-${out}` : out;
}

/** Decimal text from a JSON number or a numeric string; null when it is neither. */
export function toDecimalText(value: unknown): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? numberToDecimalText(value) : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return isPlainDecimal(text) ? text : null;
}

/** A non-negative safe integer from a number or a digit string; null otherwise. */
export function toCount(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  // "12.0" is what some drivers send for a COUNT cast to numeric.
  const m = /^(\d+)(?:\.0+)?$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : null;
}

/** An identifier: non-empty text, or an integer id (production ids are often bigint columns). */
export function toIdText(value: unknown): string | null {
  if (typeof value === 'string') {
    const text = value.trim();
    return text === '' ? null : text;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return null;
}

export const ISO_DATE_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysInMonth(year: number, month: number): number {
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/**
 * An ISO 8601 date or date-time. A value without an offset is taken as UTC: Metabase
 * reports in its report time zone with an offset, and guessing the server's local zone
 * would make dates depend on where the CRM runs.
 */
export function toIsoDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  return fastIsoDate(value) ?? regexIsoDate(value);
}

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * The shape Metabase sends for nearly every timestamp, `YYYY-MM-DDTHH:MM:SS[.mmm](Z|±HH:MM)`,
 * read by character codes: no regex groups and no substrings, which matters at 100k rows.
 * Anything else returns null and goes through the general reader.
 */
function fastIsoDate(s: string): Date | null {
  if (
    s.length < 20 ||
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 ||
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58
  )
    return null;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46 /* . */) {
    ms = digits(s, 20, 3);
    if (ms < 0) return null;
    i = 23;
  }
  let offsetMinutes: number;
  if (s.length === i + 1 && s.charCodeAt(i) === 90 /* Z */) offsetMinutes = 0;
  else if (s.length === i + 6 && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45) && s.charCodeAt(i + 3) === 58) {
    const hh = digits(s, i + 1, 2);
    const mm = digits(s, i + 4, 2);
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return null;
    offsetMinutes = (s.charCodeAt(i) === 45 ? -1 : 1) * (hh * 60 + mm);
  } else return null;
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000);
}

function regexIsoDate(value: string): Date | null {
  const m = ISO_DATE_RE.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const hh = Number(zone.slice(1, 3));
    const mm = zone.length > 3 ? Number(zone.slice(-2)) : 0;
    if (hh > 23 || mm > 59) return null;
    offsetMinutes = sign * (hh * 60 + mm);
  }
  // Date.UTC on numbers: exact, and several times faster than re-parsing a string.
  const ms = fraction === '' ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));
  const t = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s), ms) - offsetMinutes * 60_000;
  return new Date(t);
}

/** Optional text: null, missing and blank all mean "none"; a number (a phone) becomes text. */
export function toOptionalText(value: unknown): string | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const text = value.trim();
    return text === '' ? null : text;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined; // present but not text: invalid
}
