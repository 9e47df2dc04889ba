import {
  MoneyError,
  parseAmount,
  type RateTable,
  sumUsd,
  toUsd,
  UNREADABLE_ROW,
  type UsdConversion,
} from '../common/money';
import { TimeSlicer, yieldToEventLoop } from '../cooperative';
import { type BulkColumnType, jsonRowsSelect, jsonTextList } from '../db/bulk-rows';
import type { CrmTx, Database, DbProvider } from '../db/client';
import { LOCKS, lockForTransaction } from '../db/locks';
import { compactStageTotals } from '../db/stage-totals';
import type { AppDeps } from '../deps';
import { Prisma } from '../generated/sqlite/client';
import {
  type CustomerCurrencyRow,
  ProductionError,
  type ProductionReader,
  type RejectedRow,
} from '../production/types';
import { getRates } from './rates';
import { usdFigureFromTotals } from './revalue-figures';
import { orderRhythm } from './rhythm';
import { getSyncDays } from './settings';

/** Customers per write transaction (each chunk is a handful of statements, whatever its size). */
export const SYNC_CHUNK_SIZE = 1_000;

export type SyncTrigger = 'home_opened' | 'command' | 'schedule' | 'bench' | 'test';

export interface SyncRunResult {
  runId: number;
  trigger: string;
  status: 'ok' | 'failed';
  startedAt: Date;
  finishedAt: Date;
  /** Distinct customers production returned. */
  fetched: number;
  /** New leads created by this run. */
  created: number;
  /** Known customers whose cached figures changed. */
  updated: number;
  /** Rows refused (by the card's schema or because their amount could not be read). */
  rejected: number;
  /** What the user should see when the run failed. */
  error: string | null;
}

export type SyncDeps = Pick<AppDeps, 'db' | 'clock' | 'logger' | 'config'>;

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

interface CurrencyAccumulator {
  currency: string;
  market: string;
  marketAt: number;
  orderCount: number;
  /** Null once an amount of this currency could not be read or has no known exponent. */
  minor: bigint | null;
  exponent: number | null;
  lastOrderAt: Date;
  /** Null once a row of this currency came without a first order (the column is optional). */
  firstOrderAt: Date | null;
  /** An amount of this currency could not be read: the figure is incomplete. */
  unreadable: boolean;
}

/**
 * What one customer's rows add up to so far: no row is kept. The contact fields are those
 * of the newest row that has them (production's latest data wins; the first such row on a
 * tie), tracked with the time of the row they came from.
 */
interface CustomerAccumulator {
  customerId: string;
  name: string | null;
  nameAt: number;
  company: string | null;
  companyAt: number;
  email: string | null;
  emailAt: number;
  phone: string | null;
  phoneAt: number;
  /** Usually one currency; a short array is smaller than a Map. */
  currencies: CurrencyAccumulator[];
}

const maxDate = (a: Date | null, b: Date | null) =>
  a === null ? b : b === null ? a : a.getTime() >= b.getTime() ? a : b;
const minDate = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);
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
  private readonly byCustomer = new Map<string, CustomerAccumulator>();
  /** Per customer, the currencies of its refused rows (UNREADABLE_ROW when the currency did not read). */
  private readonly refusedRows = new Map<string, Set<string>>();
  unreadableRows = 0;

  constructor(private readonly onUnreadable: (row: CustomerCurrencyRow, reason: string) => void = () => undefined) {}

  /** Distinct customers so far. */
  get size(): number {
    return this.byCustomer.size;
  }

  /** Forgets everything (the card is being read again from the top). */
  clear(): void {
    this.byCustomer.clear();
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
    for (const id of this.refusedRows.keys()) if (this.byCustomer.has(id)) n += 1;
    return n;
  }

  add(row: CustomerCurrencyRow): void {
    let acc = this.byCustomer.get(row.customerId);
    if (!acc) {
      acc = {
        customerId: row.customerId,
        name: null,
        nameAt: 0,
        company: null,
        companyAt: 0,
        email: null,
        emailAt: 0,
        phone: null,
        phoneAt: 0,
        currencies: [],
      };
      this.byCustomer.set(row.customerId, acc);
    }
    const at = row.lastOrderAt.getTime();
    if (present(row.customerName) && (acc.name === null || at > acc.nameAt))
      [acc.name, acc.nameAt] = [row.customerName, at];
    if (present(row.company) && (acc.company === null || at > acc.companyAt))
      [acc.company, acc.companyAt] = [row.company, at];
    if (present(row.email) && (acc.email === null || at > acc.emailAt)) [acc.email, acc.emailAt] = [row.email, at];
    if (present(row.phone) && (acc.phone === null || at > acc.phoneAt)) [acc.phone, acc.phoneAt] = [row.phone, at];
    let parsed: ReturnType<typeof parseAmount> | null = null;
    let unreadable = false;
    try {
      parsed = parseAmount(row.lifetimeTotal, row.currency);
    } catch (err) {
      unreadable = true;
      this.unreadableRows += 1;
      this.onUnreadable(row, err instanceof MoneyError ? err.message : String(err));
    }
    const cur = acc.currencies.find((c) => c.currency === row.currency);
    // The card gives one row per currency; should it ever give two, they add up.
    if (!cur) {
      acc.currencies.push({
        currency: row.currency,
        market: row.market,
        marketAt: at,
        orderCount: row.orderCount,
        minor: parsed?.kind === 'money' ? parsed.minor : null,
        exponent: parsed?.kind === 'money' ? parsed.exponent : null,
        lastOrderAt: row.lastOrderAt,
        firstOrderAt: row.firstOrderAt,
        unreadable,
      });
    } else {
      cur.orderCount += row.orderCount;
      cur.minor = cur.minor !== null && parsed?.kind === 'money' ? cur.minor + parsed.minor : null;
      cur.unreadable ||= unreadable;
      if (at > cur.marketAt) {
        cur.market = row.market;
        cur.marketAt = at;
      }
      cur.lastOrderAt = maxDate(cur.lastOrderAt, row.lastOrderAt)!;
      cur.firstOrderAt =
        cur.firstOrderAt === null || row.firstOrderAt === null ? null : minDate(cur.firstOrderAt, row.firstOrderAt);
    }
  }

  /** The snapshots, `size` customers at a time (each chunk made when asked for). */
  *chunks(rates: RateTable, size: number): Generator<CustomerSnapshot[]> {
    let chunk: CustomerSnapshot[] = [];
    for (const acc of this.byCustomer.values()) {
      chunk.push(snapshotOf(acc, rates, this.refusedRows.get(acc.customerId)));
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

/** All rows at once (see CustomerSnapshotBuilder). Cooperative: the event loop turns every few milliseconds. */
export async function buildCustomerSnapshots(
  rows: readonly CustomerCurrencyRow[],
  rates: RateTable,
  onUnreadable: (row: CustomerCurrencyRow, reason: string) => void = () => undefined,
  slicer: TimeSlicer = new TimeSlicer(),
): Promise<{ snapshots: CustomerSnapshot[]; unreadableRows: number }> {
  const builder = new CustomerSnapshotBuilder(onUnreadable);
  for (let i = 0; i < rows.length; i++) {
    if ((i & 255) === 0 && slicer.due()) await slicer.yield();
    builder.add(rows[i]!);
  }
  const snapshots: CustomerSnapshot[] = [];
  for (const chunk of builder.chunks(rates, 256)) {
    await slicer.yieldIfDue();
    snapshots.push(...chunk);
  }
  return { snapshots, unreadableRows: builder.unreadableRows };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const FIGURE_COLUMNS = [
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
const TOTAL_COLUMNS = [
  'customerId',
  'currency',
  'market',
  'orderCount',
  'lifetimeMinor',
  'lastOrderAt',
  'firstOrderAt',
];
const TOTAL_TYPES: BulkColumnType[] = ['text', 'text', 'text', 'int', 'bigint', 'datetime', 'datetime'];

const figureValues = (f: CustomerFiguresRow) => [
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
const totalValues = (t: CurrencyTotalRow) => [
  t.customerId,
  t.currency,
  t.market,
  t.orderCount,
  t.lifetimeMinor,
  t.lastOrderAt,
  t.firstOrderAt ?? null,
];

/** What one customer of a chunk needs: its figures written (new or changed), a lead created. */
interface PendingWork {
  known: boolean;
  changed: boolean;
  needsLead: boolean;
}

/**
 * Which customers of a chunk need writing, asked of the database in one statement: the
 * chunk's figures and totals travel as JSON parameters and are compared with the stored
 * rows by primary key there; only the customers that differ (or have no lead) come back,
 * so a no-change sync reads no rows at all into JavaScript.
 */
async function pendingWork(db: Database, chunk: readonly CustomerSnapshot[]): Promise<Map<string, PendingWork>> {
  const { prisma, provider } = db;
  if (provider === 'sqlite') return pendingWorkSqlite(db, chunk);
  const differs = Prisma.raw('IS DISTINCT FROM');
  const cols = (names: string[]) => Prisma.raw(names.map((c) => `"${c}"`).join(', '));
  const figureDiffers = Prisma.join(
    FIGURE_COLUMNS.slice(1).map((c) => Prisma.sql`c.${Prisma.raw(`"${c}"`)} ${differs} n.${Prisma.raw(`"${c}"`)}`),
    ' OR ',
  );
  const totalDiffers = Prisma.join(
    TOTAL_COLUMNS.slice(2).map((c) => Prisma.sql`s.${Prisma.raw(`"${c}"`)} ${differs} t.${Prisma.raw(`"${c}"`)}`),
    ' OR ',
  );
  const figures = chunk.map((snap) => [...figureValues(snap.figures), snap.totals.length]);
  const totals = chunk.flatMap((snap) => snap.totals.map(totalValues));
  const rows = await prisma.$queryRaw<
    { id: string; known: number | bigint; changed: number | bigint; hasLead: number | bigint }[]
  >`
    WITH n(${cols([...FIGURE_COLUMNS, 'totalsCount'])}) AS (${jsonRowsSelect(provider, figures, [...FIGURE_TYPES, 'int'])}),
         t(${cols(TOTAL_COLUMNS)}) AS (${jsonRowsSelect(provider, totals, TOTAL_TYPES)}),
         changedTotals AS (
           SELECT t."customerId" FROM t LEFT JOIN "CustomerCurrencyTotal" s ON s."customerId" = t."customerId" AND s."currency" = t."currency"
           WHERE s."customerId" IS NULL OR ${totalDiffers})
    SELECT * FROM (
      SELECT n."customerId" AS "id",
        CASE WHEN c."customerId" IS NULL THEN 0 ELSE 1 END AS "known",
        CASE WHEN c."customerId" IS NULL OR ${figureDiffers}
          OR (SELECT COUNT(*) FROM "CustomerCurrencyTotal" s WHERE s."customerId" = n."customerId") <> n."totalsCount"
          OR n."customerId" IN (SELECT "customerId" FROM changedTotals) THEN 1 ELSE 0 END AS "changed",
        CASE WHEN l."id" IS NULL THEN 0 ELSE 1 END AS "hasLead"
      FROM n LEFT JOIN "CustomerFigures" c ON c."customerId" = n."customerId" LEFT JOIN "Lead" l ON l."customerId" = n."customerId"
    ) w WHERE "changed" = 1 OR "hasLead" = 0`;
  return new Map(
    rows.map((r) => [
      r.id,
      { known: Number(r.known) === 1, changed: Number(r.changed) === 1, needsLead: Number(r.hasLead) === 0 },
    ]),
  );
}

const UNIT = '\u001f';
const ROW = '\u001d';
const NULL_MARK = '\u001e';
const fpText = (v: string | null) => (v === null ? NULL_MARK : v);
const fpInt = (v: bigint | null) => (v === null ? NULL_MARK : String(v));
/** As SQLite stores a DateTime. The same date recurs (a customer's last order, the rate date): its text is reused. */
let lastDateMs = Number.NaN;
let lastDateText = '';
let otherDateMs = Number.NaN;
let otherDateText = '';
function fpDate(d: Date | null): string {
  if (d === null) return NULL_MARK;
  const ms = d.getTime();
  if (ms === lastDateMs) return lastDateText;
  if (ms === otherDateMs) return otherDateText;
  [otherDateMs, otherDateText] = [lastDateMs, lastDateText];
  lastDateMs = ms;
  lastDateText = `${d.toISOString().slice(0, -1)}+00:00`;
  return lastDateText;
}

const byCurrency = (a: CurrencyTotalRow, b: CurrencyTotalRow) =>
  a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0;

/**
 * A customer's stored state as one string, built the same way in JavaScript and in SQLite's
 * SQL below. Plain concatenation: it runs for every customer of every sync.
 */
function fingerprint(s: CustomerSnapshot): string {
  const f = s.figures;
  const sorted = s.totals.length > 1 ? [...s.totals].sort(byCurrency) : s.totals;
  let totals = '';
  for (let i = 0; i < sorted.length; i++) {
    const t = sorted[i]!;
    if (i > 0) totals += ROW;
    totals += `${t.currency}${UNIT}${t.market}${UNIT}${t.orderCount}${UNIT}${t.lifetimeMinor}${UNIT}${fpDate(t.lastOrderAt)}${UNIT}${fpDate(t.firstOrderAt ?? null)}`;
  }
  return `${f.name}${UNIT}${fpText(f.company)}${UNIT}${fpText(f.email)}${UNIT}${fpText(f.phone)}${UNIT}${f.markets}${UNIT}${f.orderCount}${UNIT}${f.lifetimeUsdCents}${UNIT}${f.unknownCurrencies}${UNIT}${fpDate(f.lastOrderAt)}${UNIT}${fpDate(f.rateDate)}${UNIT}${f.searchText}${UNIT}${fpDate(f.firstOrderAt ?? null)}${UNIT}${fpInt(f.rhythmIntervalMs ?? null)}${UNIT}${fpInt(f.rhythmNextMs ?? null)}${UNIT}${totals}`;
}

const SQLITE_FINGERPRINT = `c."name" || char(31) || COALESCE(c."company", char(30)) || char(31) || COALESCE(c."email", char(30)) || char(31)
  || COALESCE(c."phone", char(30)) || char(31) || c."markets" || char(31) || c."orderCount" || char(31) || c."lifetimeUsdCents" || char(31)
  || c."unknownCurrencies" || char(31) || COALESCE(c."lastOrderAt", char(30)) || char(31) || COALESCE(c."rateDate", char(30)) || char(31)
  || c."searchText" || char(31) || COALESCE(c."firstOrderAt", char(30)) || char(31) || COALESCE(c."rhythmIntervalMs", char(30)) || char(31)
  || COALESCE(c."rhythmNextMs", char(30)) || char(31) || COALESCE((SELECT group_concat(s."currency" || char(31) || s."market" || char(31) || s."orderCount" || char(31)
     || s."lifetimeMinor" || char(31) || COALESCE(s."lastOrderAt", char(30)) || char(31) || COALESCE(s."firstOrderAt", char(30)), char(29) ORDER BY s."currency")
     FROM "CustomerCurrencyTotal" s WHERE s."customerId" = c."customerId"), '')`;

/** pendingWork's SQLite statement, around its one parameter: the chunk as `[[id, fingerprint], …]` JSON. */
const [SQLITE_PENDING_HEAD, SQLITE_PENDING_TAIL] = [
  `
    SELECT * FROM (
      SELECT n."id",
        CASE WHEN c."customerId" IS NULL THEN 0 ELSE 1 END AS "known",
        CASE WHEN c."customerId" IS NULL OR ${SQLITE_FINGERPRINT} IS NOT n."fp" THEN 1 ELSE 0 END AS "changed",
        CASE WHEN l."id" IS NULL THEN 0 ELSE 1 END AS "hasLead"
      FROM (SELECT value->>0 AS "id", value->>1 AS "fp" FROM json_each(`,
  `)) n
      LEFT JOIN "CustomerFigures" c ON c."customerId" = n."id" LEFT JOIN "Lead" l ON l."customerId" = n."id"
    ) w WHERE "changed" = 1 OR "hasLead" = 0`,
] as const;

const SQLITE_PENDING_RAW = `${SQLITE_PENDING_HEAD}?${SQLITE_PENDING_TAIL}`;

type PendingRow = { id: string; known: number | bigint; changed: number | bigint; hasLead: number | bigint };

/**
 * pendingWork on SQLite: each customer travels as its id and one fingerprint string, which
 * SQLite compares with the same string made from the stored rows (found by primary key).
 * Two JSON values per customer instead of eighteen: SQLite re-reads a row's JSON text for
 * every value taken from it, which was most of the cost. The statement runs straight on the
 * connection when the database offers it: through Prisma, compiling the query and carrying
 * the parameter cost more than the comparison.
 */
async function pendingWorkSqlite(db: Database, chunk: readonly CustomerSnapshot[]): Promise<Map<string, PendingWork>> {
  const values = JSON.stringify(chunk.map((snap) => [snap.figures.customerId, fingerprint(snap)]));
  const rows = db.sqliteRawRead
    ? ((await db.sqliteRawRead(SQLITE_PENDING_RAW, [values])) as PendingRow[])
    : await db.prisma.$queryRaw<PendingRow[]>(Prisma.sql([SQLITE_PENDING_HEAD, SQLITE_PENDING_TAIL], values));
  return new Map(
    rows.map((r) => [
      r.id,
      { known: Number(r.known) === 1, changed: Number(r.changed) === 1, needsLead: Number(r.hasLead) === 0 },
    ]),
  );
}

const FIGURE_TYPES: BulkColumnType[] = [
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

/** Insert-or-update of the figure cache: one statement per chunk; firstSeenAt only on insert. */
async function upsertFigures(tx: CrmTx, provider: DbProvider, rows: CustomerFiguresRow[], now: Date): Promise<void> {
  if (!rows.length) return;
  const values = rows.map(figureValues);
  const at = { value: now, type: 'datetime' } as const;
  await tx.$executeRaw`
    INSERT INTO "CustomerFigures" ("customerId", "name", "company", "email", "phone", "markets", "orderCount",
      "lifetimeUsdCents", "unknownCurrencies", "lastOrderAt", "rateDate", "searchText", "firstOrderAt", "rhythmIntervalMs",
      "rhythmNextMs", "firstSeenAt", "refreshedAt")
    ${jsonRowsSelect(provider, values, FIGURE_TYPES, [at, at])}
    ON CONFLICT ("customerId") DO UPDATE SET
      "name" = excluded."name", "company" = excluded."company", "email" = excluded."email", "phone" = excluded."phone",
      "markets" = excluded."markets", "orderCount" = excluded."orderCount", "lifetimeUsdCents" = excluded."lifetimeUsdCents",
      "unknownCurrencies" = excluded."unknownCurrencies", "lastOrderAt" = excluded."lastOrderAt", "rateDate" = excluded."rateDate",
      "searchText" = excluded."searchText", "firstOrderAt" = excluded."firstOrderAt",
      "rhythmIntervalMs" = excluded."rhythmIntervalMs", "rhythmNextMs" = excluded."rhythmNextMs", "refreshedAt" = excluded."refreshedAt"`;
}

/** Replaces the per-currency totals of the given customers. */
async function replaceTotals(
  tx: CrmTx,
  provider: DbProvider,
  customerIds: string[],
  totals: CurrencyTotalRow[],
): Promise<void> {
  if (!customerIds.length) return;
  await tx.$executeRaw`DELETE FROM "CustomerCurrencyTotal" WHERE "customerId" IN (${jsonTextList(provider, customerIds)})`;
  if (!totals.length) return;
  await tx.$executeRaw`
    INSERT INTO "CustomerCurrencyTotal" ("customerId", "currency", "market", "orderCount", "lifetimeMinor", "lastOrderAt", "firstOrderAt")
    ${jsonRowsSelect(provider, totals.map(totalValues), TOTAL_TYPES)}
    ON CONFLICT ("customerId", "currency") DO UPDATE SET
      "market" = excluded."market", "orderCount" = excluded."orderCount",
      "lifetimeMinor" = excluded."lifetimeMinor", "lastOrderAt" = excluded."lastOrderAt", "firstOrderAt" = excluded."firstOrderAt"`;
}

/**
 * Creates the missing leads (stage `lead`, no owner). Insert-or-ignore on the unique
 * customer id: a lead created meanwhile by another run or instance is left alone, and only
 * the rows this statement inserted come back, so each gets exactly one "created" activity.
 */
async function insertMissingLeads(tx: CrmTx, provider: DbProvider, customerIds: string[], now: Date): Promise<number> {
  if (!customerIds.length) return 0;
  const inserted = await tx.$queryRaw<{ id: number | bigint }[]>`
    INSERT INTO "Lead" ("customerId", "stage", "version", "createdAt", "updatedAt")
    ${jsonRowsSelect(
      provider,
      customerIds.map((id) => [id]),
      ['text'],
      [
        { value: 'lead', type: 'text' },
        { value: 1, type: 'int' },
        { value: now, type: 'datetime' },
        { value: now, type: 'datetime' },
      ],
    )}
    ON CONFLICT ("customerId") DO NOTHING
    RETURNING "id"`;
  if (inserted.length) {
    await tx.$executeRaw`
      INSERT INTO "Activity" ("leadId", "actorId", "kind", "toValue", "text", "isTouch", "createdAt")
      ${jsonRowsSelect(
        provider,
        inserted.map((l) => [Number(l.id)]),
        ['int'],
        [
          { value: null, type: 'text' },
          { value: 'created', type: 'text' },
          { value: 'lead', type: 'text' },
          { value: 'Created by the production sync', type: 'text' },
          { value: false, type: 'bool' },
          { value: now, type: 'datetime' },
        ],
      )}`;
  }
  return inserted.length;
}

const sameRates = (a: RateTable, b: RateTable) =>
  a.size === b.size &&
  [...a.values()].every(
    (r) =>
      b.get(r.currency)?.usdPerUnit === r.usdPerUnit && b.get(r.currency)?.rateDate.getTime() === r.rateDate.getTime(),
  );

/** Counts of one write pass. */
export interface SyncWriteCounts {
  created: number;
  updated: number;
}

/**
 * Writes snapshots to the CRM database: changed or new figures (unchanged ones are skipped
 * by comparison, so a no-change sync writes nothing), their currency totals, and a lead for
 * every customer without one. One transaction per chunk of customers. Never touches an
 * existing lead's stage, owner, contact or notes. Cooperative: the event loop turns between
 * reads, every few milliseconds of comparing, and between write transactions (never inside one).
 */
export async function writeCustomerSnapshots(
  db: Database,
  snapshots: readonly CustomerSnapshot[],
  now: Date,
  slicer: TimeSlicer = new TimeSlicer(),
  /** The rates the snapshots' USD figures were computed at. */
  builtAt?: RateTable,
): Promise<SyncWriteCounts> {
  return writeSnapshotChunks(db, chunks(snapshots, SYNC_CHUNK_SIZE), now, slicer, builtAt);
}

/** writeCustomerSnapshots for snapshots made a chunk at a time (at most SYNC_CHUNK_SIZE each). */
export async function writeSnapshotChunks(
  db: Database,
  snapshotChunks: Iterable<readonly CustomerSnapshot[]>,
  now: Date,
  slicer: TimeSlicer = new TimeSlicer(),
  /** The rates the snapshots' USD figures were computed at. */
  builtAt?: RateTable,
): Promise<SyncWriteCounts> {
  const { prisma, provider } = db;
  let created = 0;
  let updated = 0;
  // Customers with nothing to write drop out; the rest are written chunk by chunk, figures before leads (foreign key).
  for (const chunk of snapshotChunks) {
    await slicer.yieldIfDue();
    const pending = await pendingWork(db, chunk);
    if (pending.size === 0) continue;
    await yieldToEventLoop();
    const toWrite = chunk.filter((s) => pending.get(s.figures.customerId)?.changed);
    const leadIds = chunk.filter((s) => pending.get(s.figures.customerId)?.needsLead).map((s) => s.figures.customerId);
    for (const s of toWrite) if (pending.get(s.figures.customerId)!.known) updated += 1;
    created += await prisma.$transaction(async (tx) => {
      // The rates are read again under the rates lock: if an admin changed one since the
      // snapshots were built, the figures are redone at the new rates, so a rate change and its
      // revaluation (revalue-figures.ts) never land between this read and this write.
      await lockForTransaction(tx, provider, LOCKS.rates);
      const current = builtAt && (await getRates(tx));
      const figures = toWrite.map((s) =>
        current && !sameRates(current, builtAt)
          ? { ...s.figures, ...usdFigureFromTotals(s.totals, s.figures.unknownCurrencies, current) }
          : s.figures,
      );
      await upsertFigures(tx, provider, figures, now);
      await replaceTotals(
        tx,
        provider,
        toWrite.map((s) => s.figures.customerId),
        toWrite.flatMap((s) => s.totals),
      );
      return insertMissingLeads(tx, provider, leadIds, now);
    });
  }
  await compactStageTotals(db);
  return { created, updated };
}

/** Short text for SyncRun.error and the Home warning. */
export function syncErrorMessage(err: unknown): string {
  if (err instanceof ProductionError) return err.userMessage;
  return 'Lead sync failed with an internal error (see the logs)';
}

/**
 * The lead sync: reads the Customers card for the window, refreshes the cached figures and
 * creates a lead for every customer that has none. Every run is recorded in SyncRun.
 * It never throws for a production or database failure: the run is recorded as failed and
 * returned, so callers can show it.
 */
export async function syncLeadsFromProduction(
  deps: SyncDeps,
  production: ProductionReader,
  options: { trigger: SyncTrigger | string },
): Promise<SyncRunResult> {
  const { prisma } = deps.db;
  const log = deps.logger.child({ component: 'lead-sync', trigger: options.trigger });
  const startedAt = deps.clock.now();
  const run = await prisma.syncRun.create({ data: { trigger: options.trigger, startedAt, status: 'running' } });
  const counts = { fetched: 0, created: 0, updated: 0, rejected: 0 };
  let error: string | null = null;
  const started = performance.now();
  try {
    const days = await getSyncDays(prisma, deps.config);
    const rates = await getRates(prisma);
    const slicer = new TimeSlicer();
    const builder = new CustomerSnapshotBuilder((row, reason) =>
      log.error(
        { customerId: row.customerId, currency: row.currency, reason },
        'customer row refused: lifetime_total unreadable',
      ),
    );
    let rejected: RejectedRow[];
    if (production.streamCustomers) {
      // Rows are added as they are read: the export is never held whole.
      const read = await production.streamCustomers(days, {
        restart: () => builder.clear(),
        rows: (batch) => {
          for (const row of batch) builder.add(row);
        },
      });
      rejected = read.rejected;
    } else {
      const card = await production.fetchCustomers(days);
      for (let i = 0; i < card.rows.length; i++) {
        if ((i & 255) === 0 && slicer.due()) await slicer.yield();
        builder.add(card.rows[i]!);
      }
      rejected = card.rejected;
    }
    // Each refused row was logged by the reader; what matters here is whose figure it leaves incomplete.
    let unnamed = 0;
    for (const row of rejected) if (!builder.refused(row)) unnamed += 1;
    if (rejected.length) {
      log.warn(
        { refused: rejected.length, withoutCustomerId: unnamed, customersIncomplete: builder.customersWithRefusedRows },
        'customer rows refused: the figures of their customers are marked incomplete',
      );
    }
    counts.fetched = builder.size;
    counts.rejected = rejected.length + builder.unreadableRows;
    const written = await writeSnapshotChunks(
      deps.db,
      builder.chunks(rates, SYNC_CHUNK_SIZE),
      deps.clock.now(),
      slicer,
      rates,
    );
    counts.created = written.created;
    counts.updated = written.updated;
  } catch (err) {
    error = syncErrorMessage(err);
    log.error({ err }, 'lead sync failed');
  }
  const finishedAt = deps.clock.now();
  await prisma.syncRun.update({
    where: { id: run.id },
    data: { finishedAt, status: error ? 'failed' : 'ok', ...counts, error },
  });
  log.info({ ...counts, ms: Math.round(performance.now() - started), ok: !error }, 'lead sync finished');
  return {
    runId: run.id,
    trigger: options.trigger,
    status: error ? 'failed' : 'ok',
    startedAt,
    finishedAt,
    ...counts,
    error,
  };
}
