import type BetterSqlite3 from 'better-sqlite3';
import { splitList } from '../common/lists';
import type { CurrencyTotal, LeadExportRow } from '../domain/lead-export-csv';

/**
 * The lead export's pages read straight through better-sqlite3 on SQLite, for the thread that
 * writes the CSV (src/exports/lead-csv-worker.ts): the same leads in the same order as
 * leadExportPages reads through Prisma (biggest lifetime USD first, then customer id), without
 * Prisma's objects for every row. Loads no Prisma, so the thread stays small.
 */

/** Which leads: every owner id listed (all must hold), a stage, or never touched and ordered since a time. */
export interface LeadExportWhere {
  ownerIds: string[];
  stage: string | null;
  uncontactedSince: Date | null;
}

export interface LeadExportKeyset {
  cents: bigint;
  customerId: string;
}

/** A DateTime as Prisma's SQLite adapter stores it (ISO 8601, explicit UTC offset): compared as text. */
const sqliteDate = (d: Date) => d.toISOString().replace('Z', '+00:00');

/** A DateTime column as stored: ISO text as Prisma writes it, or epoch milliseconds. */
function storedDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  const d = new Date(typeof value === 'bigint' ? Number(value) : (value as string | number));
  return Number.isNaN(d.getTime()) ? null : d;
}

function conditions(where: LeadExportWhere): { sql: string; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  for (const ownerId of where.ownerIds) {
    sql.push('l."ownerId" = ?');
    params.push(ownerId);
  }
  if (where.stage !== null) {
    sql.push('l."stage" = ?');
    params.push(where.stage);
  }
  if (where.uncontactedSince) {
    sql.push('l."lastTouchAt" IS NULL AND c."lastOrderAt" >= ?');
    params.push(sqliteDate(where.uncontactedSince));
  }
  return { sql: sql.map((s) => ` AND ${s}`).join(''), params };
}

type PageRow = {
  customerId: string;
  name: string;
  company: string | null;
  markets: string;
  lifetimeUsdCents: bigint;
  unknownCurrencies: string;
  lastOrderAt: string | number | null;
  leadId: bigint;
  stage: string;
  ownerId: string | null;
  lastTouchAt: string | number | null;
};

/**
 * Reads the export a page at a time on one connection. Each page is a range of the
 * lifetime-USD index (named, so the planner never picks a filter's index and sorts the book
 * instead), then the page's currency totals by the customers' primary key and its next
 * follow-ups by the follow-ups' lead index, both for the page's ids given as one JSON list.
 */
export class SqliteLeadExportPages {
  private readonly first: BetterSqlite3.Statement;
  private readonly next: BetterSqlite3.Statement;
  private readonly totals: BetterSqlite3.Statement;
  private readonly due: BetterSqlite3.Statement;
  private readonly params: unknown[];

  constructor(db: BetterSqlite3.Database, where: LeadExportWhere) {
    const { sql, params } = conditions(where);
    this.params = params;
    const select = `SELECT c."customerId", c."name", c."company", c."markets", c."lifetimeUsdCents", c."unknownCurrencies",
        c."lastOrderAt", l."id" AS "leadId", l."stage", l."ownerId", l."lastTouchAt"
      FROM "CustomerFigures" c INDEXED BY "CustomerFigures_lifetimeUsdCents_idx"
      JOIN "Lead" l ON l."customerId" = c."customerId"`;
    const order = `ORDER BY c."lifetimeUsdCents" DESC, c."customerId" ASC LIMIT ?`;
    this.first = db.prepare(`${select} WHERE 1${sql} ${order}`).safeIntegers(true);
    // The bound on its own first: the index range; the OR then only breaks ties within it.
    this.next = db
      .prepare(
        `${select} WHERE c."lifetimeUsdCents" <= ? AND (c."lifetimeUsdCents" < ? OR c."customerId" > ?)${sql} ${order}`,
      )
      .safeIntegers(true);
    this.totals = db
      .prepare(
        `SELECT "customerId", "currency", "lifetimeMinor" FROM "CustomerCurrencyTotal"
         WHERE "customerId" IN (SELECT value FROM json_each(?))`,
      )
      .safeIntegers(true);
    this.due = db.prepare(
      `SELECT "leadId", "nextDueAt" FROM "FollowUpAlert" INDEXED BY "FollowUpAlert_leadId_active_nextDueAt_idx"
       WHERE "leadId" IN (SELECT value FROM json_each(?)) AND "active" = 1 AND "nextDueAt" IS NOT NULL`,
    );
  }

  /** The page after `after` (the first page when null): at most `size` rows. */
  page(after: LeadExportKeyset | null, size: number): LeadExportRow[] {
    const rows = (
      after
        ? this.next.all(after.cents, after.cents, after.customerId, ...this.params, size)
        : this.first.all(...this.params, size)
    ) as PageRow[];
    if (rows.length === 0) return [];
    const totals = new Map<string, CurrencyTotal[]>();
    const ids = JSON.stringify(rows.map((r) => r.customerId));
    for (const t of this.totals.iterate(ids) as Iterable<{
      customerId: string;
      currency: string;
      lifetimeMinor: bigint;
    }>) {
      const list = totals.get(t.customerId) ?? [];
      list.push({ currency: t.currency, minor: BigInt(t.lifetimeMinor) });
      totals.set(t.customerId, list);
    }
    const nextDue = new Map<number, Date>();
    const leadIds = JSON.stringify(rows.map((r) => Number(r.leadId)));
    for (const f of this.due.iterate(leadIds) as Iterable<{ leadId: number; nextDueAt: string | number }>) {
      const at = storedDate(f.nextDueAt);
      const earliest = nextDue.get(f.leadId);
      if (at && (!earliest || at < earliest)) nextDue.set(f.leadId, at);
    }
    return rows.map((r) => ({
      customerId: r.customerId,
      name: r.name,
      company: r.company,
      stage: r.stage,
      ownerId: r.ownerId,
      markets: splitList(r.markets),
      lifetimeUsdCents: BigInt(r.lifetimeUsdCents),
      unknownCurrencies: splitList(r.unknownCurrencies),
      totals: (totals.get(r.customerId) ?? []).sort((a, b) => a.currency.localeCompare(b.currency)),
      lastOrderAt: storedDate(r.lastOrderAt),
      lastTouchAt: storedDate(r.lastTouchAt),
      nextFollowUpAt: nextDue.get(Number(r.leadId)) ?? null,
    }));
  }
}
