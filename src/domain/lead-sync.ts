import { Prisma } from '../generated/sqlite/client';
import type { AppDeps } from '../deps';
import { TimeSlicer, yieldToEventLoop } from '../cooperative';
import type { Database, DbProvider } from '../db/client';
import { jsonRowsSelect, jsonTextList, rawDate, type BulkColumnType } from '../db/bulk-rows';
import { ProductionError, type CustomerCurrencyRow, type ProductionReader } from '../production/types';
import { MoneyError, parseAmount, sumUsd, toUsd, type RateTable, type UsdConversion } from '../shared/money';
import { getRates } from './rates';
import { LOCKS, lockForTransaction } from '../db/locks';
import { usdFigureFromTotals } from './revalue-figures';
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
}

export interface CurrencyTotalRow {
  customerId: string;
  currency: string;
  market: string;
  orderCount: number;
  lifetimeMinor: bigint;
  lastOrderAt: Date | null;
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
}

interface CustomerAccumulator {
  customerId: string;
  /** Rows newest first decide the contact fields: production's latest data wins. */
  rows: CustomerCurrencyRow[];
  currencies: Map<string, CurrencyAccumulator>;
  unreadable: Set<string>;
}

const maxDate = (a: Date | null, b: Date | null) => (a === null ? b : b === null ? a : a.getTime() >= b.getTime() ? a : b);

/**
 * Turns the Customers card's per-currency rows into one snapshot per customer: lifetime USD
 * over every currency (exact, at the current rates), order count, markets, last order and
 * contact fields. An amount that cannot be read is counted in `rejected` and its currency
 * marks the figure incomplete, so the total is never silently too low.
 * Cooperative: it lets the event loop turn every few milliseconds (see cooperative.ts).
 */
export async function buildCustomerSnapshots(
  rows: readonly CustomerCurrencyRow[],
  rates: RateTable,
  onUnreadable: (row: CustomerCurrencyRow, reason: string) => void = () => undefined,
  slicer: TimeSlicer = new TimeSlicer(),
): Promise<{ snapshots: CustomerSnapshot[]; unreadableRows: number }> {
  const byCustomer = new Map<string, CustomerAccumulator>();
  let unreadableRows = 0;
  for (let i = 0; i < rows.length; i++) {
    if ((i & 255) === 0 && slicer.due()) await slicer.yield();
    const row = rows[i]!;
    let acc = byCustomer.get(row.customerId);
    if (!acc) {
      acc = { customerId: row.customerId, rows: [], currencies: new Map(), unreadable: new Set() };
      byCustomer.set(row.customerId, acc);
    }
    acc.rows.push(row);
    let parsed: ReturnType<typeof parseAmount> | null = null;
    try {
      parsed = parseAmount(row.lifetimeTotal, row.currency);
    } catch (err) {
      unreadableRows += 1;
      acc.unreadable.add(row.currency);
      onUnreadable(row, err instanceof MoneyError ? err.message : String(err));
    }
    const at = row.lastOrderAt.getTime();
    const cur = acc.currencies.get(row.currency);
    // The card gives one row per currency; should it ever give two, they add up.
    if (!cur) {
      acc.currencies.set(row.currency, {
        currency: row.currency,
        market: row.market,
        marketAt: at,
        orderCount: row.orderCount,
        minor: parsed?.kind === 'money' ? parsed.minor : null,
        exponent: parsed?.kind === 'money' ? parsed.exponent : null,
        lastOrderAt: row.lastOrderAt,
      });
    } else {
      cur.orderCount += row.orderCount;
      cur.minor = cur.minor !== null && parsed?.kind === 'money' ? cur.minor + parsed.minor : null;
      if (at > cur.marketAt) {
        cur.market = row.market;
        cur.marketAt = at;
      }
      cur.lastOrderAt = maxDate(cur.lastOrderAt, row.lastOrderAt)!;
    }
  }

  const snapshots: CustomerSnapshot[] = [];
  for (const acc of byCustomer.values()) {
    if ((snapshots.length & 255) === 0 && slicer.due()) await slicer.yield();
    const newestFirst = [...acc.rows].sort((a, b) => b.lastOrderAt.getTime() - a.lastOrderAt.getTime());
    const pick = (f: (r: CustomerCurrencyRow) => string | null) => newestFirst.map(f).find((v) => v !== null && v !== '') ?? null;
    const conversions: UsdConversion[] = [];
    const totals: CurrencyTotalRow[] = [];
    let orderCount = 0;
    let lastOrderAt: Date | null = null;
    const markets = new Set<string>();
    for (const cur of [...acc.currencies.values()].sort((a, b) => a.currency.localeCompare(b.currency))) {
      orderCount += cur.orderCount;
      lastOrderAt = maxDate(lastOrderAt, cur.lastOrderAt);
      markets.add(cur.market);
      if (cur.minor === null || cur.exponent === null || acc.unreadable.has(cur.currency)) {
        conversions.push({ kind: 'unknown_currency', currency: cur.currency });
      } else {
        conversions.push(toUsd({ currency: cur.currency, minor: cur.minor, exponent: cur.exponent }, rates));
      }
      // Amounts in a currency without a known exponent cannot be held in minor units: no row.
      if (cur.minor !== null && cur.exponent !== null) {
        totals.push({
          customerId: acc.customerId,
          currency: cur.currency,
          market: cur.market,
          orderCount: cur.orderCount,
          lifetimeMinor: cur.minor,
          lastOrderAt: cur.lastOrderAt,
        });
      }
    }
    const sum = sumUsd(conversions);
    const name = pick((r) => r.customerName) ?? acc.customerId;
    const company = pick((r) => r.company);
    const email = pick((r) => r.email);
    snapshots.push({
      figures: {
        customerId: acc.customerId,
        name,
        company,
        email,
        phone: pick((r) => r.phone),
        markets: [...markets].sort().join(','),
        orderCount,
        lifetimeUsdCents: sum.usdCents,
        unknownCurrencies: sum.unknownCurrencies.join(','),
        lastOrderAt,
        // The oldest rate the figure rests on: the date a reader should be wary of.
        rateDate: sum.rateDates[0] ?? null,
        searchText: `${name} ${company ?? ''} ${email ?? ''} ${acc.customerId}`.toLowerCase(),
      },
      totals,
    });
  }
  return { snapshots, unreadableRows };
}

const time = (d: Date | null) => (d === null ? null : d.getTime());

function sameFigures(a: CustomerFiguresRow, b: CustomerFiguresRow): boolean {
  return (
    a.name === b.name &&
    a.company === b.company &&
    a.email === b.email &&
    a.phone === b.phone &&
    a.markets === b.markets &&
    a.orderCount === b.orderCount &&
    a.lifetimeUsdCents === b.lifetimeUsdCents &&
    a.unknownCurrencies === b.unknownCurrencies &&
    time(a.lastOrderAt) === time(b.lastOrderAt) &&
    time(a.rateDate) === time(b.rateDate) &&
    a.searchText === b.searchText
  );
}

function totalsKey(totals: readonly CurrencyTotalRow[]): string {
  return totals
    .map((t) => `${t.currency}|${t.market}|${t.orderCount}|${t.lifetimeMinor}|${time(t.lastOrderAt)}`)
    .sort()
    .join(';');
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface ExistingState {
  figures: Map<string, CustomerFiguresRow>;
  totals: Map<string, CurrencyTotalRow[]>;
  leads: Set<string>;
}

/**
 * Customers per query when reading the cached state: few queries even for 50,000, each
 * short enough (tens of ms on SQLite, where it blocks the event loop) for Home publishes to
 * slip in between.
 */
const LOAD_CHUNK_SIZE = 2_000;

/**
 * The cached state of the synced customers. Raw selects with the ids as one JSON
 * parameter: Prisma's findMany costs ten times more per row here, and this runs on every sync.
 */
async function loadExisting(db: Database, ids: string[], slicer: TimeSlicer): Promise<ExistingState> {
  const { prisma, provider } = db;
  const state: ExistingState = { figures: new Map(), totals: new Map(), leads: new Set() };
  for (const chunk of chunks(ids, LOAD_CHUNK_SIZE)) {
    await slicer.yieldIfDue();
    const figures = await prisma.$queryRaw<(Omit<CustomerFiguresRow, 'lastOrderAt' | 'rateDate'> & { lastOrderAt: Date | string | null; rateDate: Date | string | null })[]>`
      SELECT "customerId", "name", "company", "email", "phone", "markets", "orderCount", "lifetimeUsdCents",
             "unknownCurrencies", "lastOrderAt", "rateDate", "searchText"
      FROM "CustomerFigures" WHERE "customerId" IN (${jsonTextList(provider, chunk)})`;
    await slicer.yieldIfDue();
    const totals = await prisma.$queryRaw<(Omit<CurrencyTotalRow, 'lastOrderAt'> & { lastOrderAt: Date | string | null })[]>`
      SELECT "customerId", "currency", "market", "orderCount", "lifetimeMinor", "lastOrderAt"
      FROM "CustomerCurrencyTotal" WHERE "customerId" IN (${jsonTextList(provider, chunk)})`;
    await slicer.yieldIfDue();
    const leads = await prisma.$queryRaw<{ customerId: string }[]>`
      SELECT "customerId" FROM "Lead" WHERE "customerId" IN (${jsonTextList(provider, chunk)})`;
    for (const f of figures) {
      state.figures.set(f.customerId, {
        ...f,
        orderCount: Number(f.orderCount),
        lifetimeUsdCents: BigInt(f.lifetimeUsdCents),
        lastOrderAt: rawDate(f.lastOrderAt),
        rateDate: rawDate(f.rateDate),
      });
    }
    for (const t of totals) {
      const list = state.totals.get(t.customerId) ?? [];
      list.push({ ...t, orderCount: Number(t.orderCount), lifetimeMinor: BigInt(t.lifetimeMinor), lastOrderAt: rawDate(t.lastOrderAt) });
      state.totals.set(t.customerId, list);
    }
    for (const l of leads) state.leads.add(l.customerId);
  }
  return state;
}

type Tx = Prisma.TransactionClient;

const FIGURE_TYPES: BulkColumnType[] = ['text', 'text', 'text', 'text', 'text', 'text', 'int', 'bigint', 'text', 'datetime', 'datetime', 'text'];

/** Insert-or-update of the figure cache: one statement per chunk; firstSeenAt only on insert. */
async function upsertFigures(tx: Tx, provider: DbProvider, rows: CustomerFiguresRow[], now: Date): Promise<void> {
  if (!rows.length) return;
  const values = rows.map((f) => [
    f.customerId, f.name, f.company, f.email, f.phone, f.markets, f.orderCount,
    f.lifetimeUsdCents, f.unknownCurrencies, f.lastOrderAt, f.rateDate, f.searchText,
  ]);
  const at = { value: now, type: 'datetime' } as const;
  await tx.$executeRaw`
    INSERT INTO "CustomerFigures" ("customerId", "name", "company", "email", "phone", "markets", "orderCount",
      "lifetimeUsdCents", "unknownCurrencies", "lastOrderAt", "rateDate", "searchText", "firstSeenAt", "refreshedAt")
    ${jsonRowsSelect(provider, values, FIGURE_TYPES, [at, at])}
    ON CONFLICT ("customerId") DO UPDATE SET
      "name" = excluded."name", "company" = excluded."company", "email" = excluded."email", "phone" = excluded."phone",
      "markets" = excluded."markets", "orderCount" = excluded."orderCount", "lifetimeUsdCents" = excluded."lifetimeUsdCents",
      "unknownCurrencies" = excluded."unknownCurrencies", "lastOrderAt" = excluded."lastOrderAt", "rateDate" = excluded."rateDate",
      "searchText" = excluded."searchText", "refreshedAt" = excluded."refreshedAt"`;
}

/** Replaces the per-currency totals of the given customers. */
async function replaceTotals(tx: Tx, provider: DbProvider, customerIds: string[], totals: CurrencyTotalRow[]): Promise<void> {
  if (!customerIds.length) return;
  await tx.$executeRaw`DELETE FROM "CustomerCurrencyTotal" WHERE "customerId" IN (${jsonTextList(provider, customerIds)})`;
  if (!totals.length) return;
  const values = totals.map((t) => [t.customerId, t.currency, t.market, t.orderCount, t.lifetimeMinor, t.lastOrderAt]);
  await tx.$executeRaw`
    INSERT INTO "CustomerCurrencyTotal" ("customerId", "currency", "market", "orderCount", "lifetimeMinor", "lastOrderAt")
    ${jsonRowsSelect(provider, values, ['text', 'text', 'text', 'int', 'bigint', 'datetime'])}
    ON CONFLICT ("customerId", "currency") DO UPDATE SET
      "market" = excluded."market", "orderCount" = excluded."orderCount",
      "lifetimeMinor" = excluded."lifetimeMinor", "lastOrderAt" = excluded."lastOrderAt"`;
}

/**
 * Creates the missing leads (stage `lead`, no owner). Insert-or-ignore on the unique
 * customer id: a lead created meanwhile by another run or instance is left alone, and only
 * the rows this statement inserted come back, so each gets exactly one "created" activity.
 */
async function insertMissingLeads(tx: Tx, provider: DbProvider, customerIds: string[], now: Date): Promise<number> {
  if (!customerIds.length) return 0;
  const inserted = await tx.$queryRaw<{ id: number | bigint }[]>`
    INSERT INTO "Lead" ("customerId", "stage", "version", "createdAt", "updatedAt")
    ${jsonRowsSelect(provider, customerIds.map((id) => [id]), ['text'], [
      { value: 'lead', type: 'text' },
      { value: 1, type: 'int' },
      { value: now, type: 'datetime' },
      { value: now, type: 'datetime' },
    ])}
    ON CONFLICT ("customerId") DO NOTHING
    RETURNING "id"`;
  if (inserted.length) {
    await tx.$executeRaw`
      INSERT INTO "Activity" ("leadId", "actorId", "kind", "toValue", "text", "isTouch", "createdAt")
      ${jsonRowsSelect(provider, inserted.map((l) => [Number(l.id)]), ['int'], [
        { value: null, type: 'text' },
        { value: 'created', type: 'text' },
        { value: 'lead', type: 'text' },
        { value: 'Created by the production sync', type: 'text' },
        { value: false, type: 'bool' },
        { value: now, type: 'datetime' },
      ])}`;
  }
  return inserted.length;
}

const sameRates = (a: RateTable, b: RateTable) =>
  a.size === b.size && [...a.values()].every((r) => b.get(r.currency)?.usdPerUnit === r.usdPerUnit && b.get(r.currency)?.rateDate.getTime() === r.rateDate.getTime());

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
  const { prisma, provider } = db;
  const existing = await loadExisting(
    db,
    snapshots.map((s) => s.figures.customerId),
    slicer,
  );
  // Customers with nothing to write drop out; the rest go in chunks, figures before leads (foreign key).
  const work: { snapshot: CustomerSnapshot; changed: boolean; needsLead: boolean }[] = [];
  let updated = 0;
  for (let i = 0; i < snapshots.length; i++) {
    if ((i & 255) === 0 && slicer.due()) await slicer.yield();
    const s = snapshots[i]!;
    const id = s.figures.customerId;
    const before = existing.figures.get(id);
    const changed = !before || !sameFigures(before, s.figures) || totalsKey(existing.totals.get(id) ?? []) !== totalsKey(s.totals);
    const needsLead = !existing.leads.has(id);
    if (changed && before) updated += 1;
    if (changed || needsLead) work.push({ snapshot: s, changed, needsLead });
  }

  let created = 0;
  for (const chunk of chunks(work, SYNC_CHUNK_SIZE)) {
    await yieldToEventLoop();
    const toWrite = chunk.filter((w) => w.changed).map((w) => w.snapshot);
    const leadIds = chunk.filter((w) => w.needsLead).map((w) => w.snapshot.figures.customerId);
    created += await prisma.$transaction(async (tx) => {
      // The rates are read again under the rates lock: if an admin changed one since the
      // snapshots were built, the figures are redone at the new rates, so a rate change and its
      // revaluation (revalue-figures.ts) never land between this read and this write.
      await lockForTransaction(tx, provider, LOCKS.rates);
      const current = builtAt && (await getRates(tx));
      const figures = toWrite.map((s) =>
        current && !sameRates(current, builtAt) ? { ...s.figures, ...usdFigureFromTotals(s.totals, s.figures.unknownCurrencies, current) } : s.figures,
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
    const [card, rates] = await Promise.all([production.fetchCustomers(days), getRates(prisma)]);
    const slicer = new TimeSlicer();
    const { snapshots, unreadableRows } = await buildCustomerSnapshots(
      card.rows,
      rates,
      (row, reason) => log.error({ customerId: row.customerId, currency: row.currency, reason }, 'customer row refused: lifetime_total unreadable'),
      slicer,
    );
    counts.fetched = snapshots.length;
    counts.rejected = card.rejected.length + unreadableRows;
    const written = await writeCustomerSnapshots(deps.db, snapshots, deps.clock.now(), slicer, rates);
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
  return { runId: run.id, trigger: options.trigger, status: error ? 'failed' : 'ok', startedAt, finishedAt, ...counts, error };
}
