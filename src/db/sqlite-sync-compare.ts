import BetterSqlite3 from 'better-sqlite3';
import type { CurrencyTotalRow, CustomerSnapshot, PendingWork } from '../domain/customer-snapshots';
import { Prisma } from '../generated/sqlite/client';
import type { Database } from './client';

/**
 * The no-change sync's compare on SQLite: each customer travels as its id and one
 * fingerprint string of what the cache should hold, which SQLite compares with the same
 * string made from the stored rows (found by primary key); only the customers that differ
 * (or have no lead) come back. Used on the app's connection and on the sync worker's own.
 */

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
export function fingerprint(s: CustomerSnapshot): string {
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
export const [SQLITE_PENDING_HEAD, SQLITE_PENDING_TAIL] = [
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

export const SQLITE_PENDING_RAW = `${SQLITE_PENDING_HEAD}?${SQLITE_PENDING_TAIL}`;

export type PendingRow = { id: string; known: number | bigint; changed: number | bigint; hasLead: number | bigint };

/** The customers of a chunk that need writing, from pendingWork's rows. */
export function pendingFromRows(rows: readonly PendingRow[]): Map<string, PendingWork> {
  return new Map(
    rows.map((r) => [
      r.id,
      { known: Number(r.known) === 1, changed: Number(r.changed) === 1, needsLead: Number(r.hasLead) === 0 },
    ]),
  );
}

/** The statement's one parameter for a chunk: `[[id, fingerprint], …]` as JSON. */
export function pendingParameter(chunk: readonly CustomerSnapshot[]): string {
  return JSON.stringify(chunk.map((snap) => [snap.figures.customerId, fingerprint(snap)]));
}

/**
 * The compare on the app's database. The statement runs straight on the connection when the
 * database offers it: through Prisma, compiling the query and carrying the parameter cost
 * more than the comparison.
 */
export async function sqlitePendingWork(
  db: Pick<Database, 'prisma' | 'sqliteRawRead'>,
  chunk: readonly CustomerSnapshot[],
): Promise<Map<string, PendingWork>> {
  const values = pendingParameter(chunk);
  const rows = db.sqliteRawRead
    ? ((await db.sqliteRawRead(SQLITE_PENDING_RAW, [values])) as PendingRow[])
    : await db.prisma.$queryRaw<PendingRow[]>(Prisma.sql([SQLITE_PENDING_HEAD, SQLITE_PENDING_TAIL], values));
  return pendingFromRows(rows);
}

/**
 * The compare on a read-only connection of its own (the sync's worker thread). Blocking on a
 * lock is harmless there: that thread serves no one else.
 */
export function openSqliteCompare(path: string): {
  compare(chunk: readonly CustomerSnapshot[]): Map<string, PendingWork>;
  close(): void;
} {
  const connection = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  connection.pragma('busy_timeout = 10000');
  const statement = connection.prepare(SQLITE_PENDING_RAW);
  return {
    compare: (chunk) => pendingFromRows(statement.all(pendingParameter(chunk)) as PendingRow[]),
    close: () => connection.close(),
  };
}
