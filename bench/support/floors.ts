/**
 * Floors: the least work that could produce the same result on the same data, measured in
 * the same run, so a benchmark's figure can be read as a ratio whatever else the machine
 * is doing. Straight through better-sqlite3 (no Prisma, no validation, no yielding).
 */
import Database from 'better-sqlite3';
import { request } from 'undici';
import { STAGES } from '../../src/common/stages';
import { sqlitePath } from '../../src/db/client';

interface ExportRow {
  customer_id: string;
  customer_name: string;
  company: string | null;
  email: string | null;
  phone: string | null;
  market: string;
  currency: string;
  order_count: number | string;
  lifetime_total: string | number;
  last_order_at: string;
}

/** The Customers export body, as the app's client requests it. */
export async function fetchExportBody(url: string, apiKey: string, cardId: number, days: number): Promise<string> {
  const res = await request(`${url}/api/card/${cardId}/query/json`, {
    method: 'POST',
    headers: { 'x-api-key': apiKey, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      parameters: JSON.stringify([{ type: 'number', target: ['variable', ['template-tag', 'days']], value: days }]),
      format_rows: 'false',
    }).toString(),
  });
  return res.body.text();
}

const minor = (amount: string | number) => BigInt(String(amount).replace('.', ''));

/**
 * Sync floor, creating: download the export, JSON.parse it, and in one transaction insert
 * every row with prepared statements (customer upsert, currency total, lead if new, its
 * "created" activity). Into `dbUrl`, a migrated database without these customers.
 */
export async function syncCreateFloor(dbUrl: string, fetchBody: () => Promise<string>): Promise<number> {
  const db = new Database(sqlitePath(dbUrl));
  try {
    const now = new Date().toISOString().replace('Z', '+00:00');
    const figures =
      db.prepare(`INSERT INTO "CustomerFigures" ("customerId", "name", "company", "email", "phone", "markets", "orderCount", "lifetimeUsdCents", "unknownCurrencies", "lastOrderAt", "rateDate", "searchText", "firstSeenAt", "refreshedAt")
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?) ON CONFLICT ("customerId") DO UPDATE SET "orderCount" = "orderCount" + excluded."orderCount"`);
    const total =
      db.prepare(`INSERT INTO "CustomerCurrencyTotal" ("customerId", "currency", "market", "orderCount", "lifetimeMinor", "lastOrderAt") VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT ("customerId", "currency") DO UPDATE SET "orderCount" = "orderCount" + excluded."orderCount", "lifetimeMinor" = "lifetimeMinor" + excluded."lifetimeMinor"`);
    const lead = db.prepare(
      `INSERT INTO "Lead" ("customerId", "stage", "version", "createdAt", "updatedAt") VALUES (?, 'lead', 1, ?, ?) ON CONFLICT ("customerId") DO NOTHING`,
    );
    const activity = db.prepare(
      `INSERT INTO "Activity" ("leadId", "kind", "toValue", "text", "isTouch", "createdAt") VALUES (?, 'created', 'lead', 'Created by the production sync', 0, ?)`,
    );
    const started = performance.now();
    const rows = JSON.parse(await fetchBody()) as ExportRow[];
    db.transaction(() => {
      for (const r of rows) {
        figures.run(
          r.customer_id,
          r.customer_name,
          r.company,
          r.email,
          r.phone,
          r.market,
          Number(r.order_count),
          minor(r.lifetime_total),
          r.last_order_at,
          now,
          `${r.customer_name} ${r.company ?? ''} ${r.email ?? ''} ${r.customer_id}`.toLowerCase(),
          now,
          now,
        );
        total.run(r.customer_id, r.currency, r.market, Number(r.order_count), minor(r.lifetime_total), r.last_order_at);
        const inserted = lead.run(r.customer_id, now, now);
        if (inserted.changes) activity.run(inserted.lastInsertRowid, now);
      }
    })();
    return performance.now() - started;
  } finally {
    db.close();
  }
}

/**
 * Sync floor, no change: download the export, JSON.parse it, and in one transaction read
 * each row's customer and currency total by primary key (prepared statements) and compare
 * a few fields.
 */
export async function syncCompareFloor(
  dbUrl: string,
  fetchBody: () => Promise<string>,
): Promise<{ ms: number; differing: number }> {
  const db = new Database(sqlitePath(dbUrl), { readonly: true });
  try {
    const figures = db.prepare(`SELECT "name", "email", "phone" FROM "CustomerFigures" WHERE "customerId" = ?`);
    const total = db
      .prepare(
        `SELECT "orderCount", "lifetimeMinor" FROM "CustomerCurrencyTotal" WHERE "customerId" = ? AND "currency" = ?`,
      )
      .safeIntegers(true);
    const started = performance.now();
    const rows = JSON.parse(await fetchBody()) as ExportRow[];
    let differing = 0;
    db.transaction(() => {
      for (const r of rows) {
        const f = figures.get(r.customer_id) as
          | { name: string; email: string | null; phone: string | null }
          | undefined;
        const t = total.get(r.customer_id, r.currency) as { orderCount: bigint; lifetimeMinor: bigint } | undefined;
        // A currency given twice is stored summed: its rows compare as "at least".
        if (
          !f ||
          !t ||
          f.name !== r.customer_name ||
          f.email !== r.email ||
          t.lifetimeMinor < minor(r.lifetime_total) ||
          Number(t.orderCount) < Number(r.order_count)
        )
          differing += 1;
      }
    })();
    return { ms: performance.now() - started, differing };
  } finally {
    db.close();
  }
}

/**
 * Home floor: the minimal indexed queries behind the all-stages view (counts and USD sums
 * per stage from the stored per-stage totals, then each stage's top `pageSize` by the lead's
 * (stage, USD) index) and JSON.stringify of the view the app published. Returns a function timing one
 * such build; `scanOnce` times the floor before stored totals existed (one grouped scan of
 * every lead instead of the totals), printed beside it to show what the totals take away.
 */
export function homeFloor(
  dbUrl: string,
  pageSize: number,
): { once(view: unknown): number; scanOnce(view: unknown): number; close(): void } {
  const db = new Database(sqlitePath(dbUrl), { readonly: true });
  const totals = db.prepare(
    `SELECT "stage", "unknownCurrencies", SUM("leads") AS n, SUM("usdCents") AS cents FROM "StageTotal" GROUP BY "stage", "unknownCurrencies"`,
  );
  const scan = db.prepare(
    `SELECT l."stage", COUNT(*) AS n, SUM(c."lifetimeUsdCents") AS cents FROM "CustomerFigures" c JOIN "Lead" l ON l."customerId" = c."customerId" GROUP BY l."stage"`,
  );
  // A range of the lead's (stage, lifetimeUsdCents, customerId) index, each row joined to its customer.
  const page =
    db.prepare(`SELECT l."id", c."name", c."company", c."lifetimeUsdCents", c."lastOrderAt", l."ownerId" FROM "Lead" l CROSS JOIN "CustomerFigures" c
    WHERE l."customerId" = c."customerId" AND l."stage" = ? ORDER BY l."lifetimeUsdCents" DESC, l."customerId" DESC LIMIT ?`);
  const build = (aggregate: Database.Statement, view: unknown) => {
    const started = performance.now();
    aggregate.all();
    for (const s of STAGES) page.all(s.slug, pageSize);
    JSON.stringify(view);
    return performance.now() - started;
  };
  return {
    once: (view) => build(totals, view),
    scanOnce: (view) => build(scan, view),
    close: () => void db.close(),
  };
}
