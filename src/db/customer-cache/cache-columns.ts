import type { CurrencyTotalRow, CustomerFiguresRow } from '../../domain/customer-snapshots';
import type { BulkColumnType } from '../bulk-rows';

/** The columns of the customer figure cache as bulk rows carry them, in this order. */
export const FIGURE_COLUMNS = [
  'customerId',
  'name',
  'company',
  'email',
  'phone',
  'markets',
  'orderCount',
  'lifetimeUsdCents',
  'unknownCurrencies',
  'lastOrderAt',
  'rateDate',
  'searchText',
  'firstOrderAt',
  'rhythmIntervalMs',
  'rhythmNextMs',
];
export const FIGURE_TYPES: BulkColumnType[] = [
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'int',
  'bigint',
  'text',
  'datetime',
  'datetime',
  'text',
  'datetime',
  'bigint',
  'bigint',
];
export const TOTAL_COLUMNS = [
  'customerId',
  'currency',
  'market',
  'orderCount',
  'lifetimeMinor',
  'lastOrderAt',
  'firstOrderAt',
];
export const TOTAL_TYPES: BulkColumnType[] = ['text', 'text', 'text', 'int', 'bigint', 'datetime', 'datetime'];

export const figureValues = (f: CustomerFiguresRow) => [
  f.customerId,
  f.name,
  f.company,
  f.email,
  f.phone,
  f.markets,
  f.orderCount,
  f.lifetimeUsdCents,
  f.unknownCurrencies,
  f.lastOrderAt,
  f.rateDate,
  f.searchText,
  f.firstOrderAt ?? null,
  f.rhythmIntervalMs ?? null,
  f.rhythmNextMs ?? null,
];
export const totalValues = (t: CurrencyTotalRow) => [
  t.customerId,
  t.currency,
  t.market,
  t.orderCount,
  t.lifetimeMinor,
  t.lastOrderAt,
  t.firstOrderAt ?? null,
];
