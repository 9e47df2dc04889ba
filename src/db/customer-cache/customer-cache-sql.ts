import type { CurrencyTotalRow, FingerprintedFigures } from '../../domain/customer-snapshots';
import { type BulkColumnType, jsonRowsSelect, jsonTextList } from '../bulk-rows';
import { type CrmTx, type Database, sqlitePath } from '../client';

/**
 * The customer cache (CustomerFigures, CustomerCurrencyTotal) as the lead sync writes it.
 * Which customers need writing is asked of sync-compare.ts.
 */

/** The database file a worker thread may compare on with a connection of its own, or null (compare through `pendingWork`). */
export function compareFileFor(db: Pick<Database, 'provider' | 'url'>): string | null {
  return db.provider === 'sqlite' ? sqlitePath(db.url) : null;
}

/** A figures row's values as bulk rows carry them, in the order of upsertFigures' columns. */
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
  'text',
];
const figureValues = (f: FingerprintedFigures) => [
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
  f.fingerprint,
];
/** A currency total's values, in the order of replaceTotals' columns. */
const TOTAL_TYPES: BulkColumnType[] = ['text', 'text', 'text', 'int', 'bigint', 'datetime', 'datetime'];
const totalValues = (t: CurrencyTotalRow) => [
  t.customerId,
  t.currency,
  t.market,
  t.orderCount,
  t.lifetimeMinor,
  t.lastOrderAt,
  t.firstOrderAt ?? null,
];

/** Insert-or-update of the figure cache: one statement per chunk; firstSeenAt only on insert. */
export async function upsertFigures(
  db: Pick<Database, 'provider'>,
  tx: CrmTx,
  rows: readonly FingerprintedFigures[],
  now: Date,
): Promise<void> {
  if (!rows.length) return;
  const at = { value: now, type: 'datetime' } as const;
  await tx.$executeRaw`
    INSERT INTO "CustomerFigures" ("customerId", "name", "company", "email", "phone", "markets", "orderCount",
      "lifetimeUsdCents", "unknownCurrencies", "lastOrderAt", "rateDate", "searchText", "firstOrderAt", "rhythmIntervalMs",
      "rhythmNextMs", "fingerprint", "firstSeenAt", "refreshedAt")
    ${jsonRowsSelect(db.provider, rows.map(figureValues), FIGURE_TYPES, [at, at])}
    ON CONFLICT ("customerId") DO UPDATE SET
      "name" = excluded."name", "company" = excluded."company", "email" = excluded."email", "phone" = excluded."phone",
      "markets" = excluded."markets", "orderCount" = excluded."orderCount", "lifetimeUsdCents" = excluded."lifetimeUsdCents",
      "unknownCurrencies" = excluded."unknownCurrencies", "lastOrderAt" = excluded."lastOrderAt", "rateDate" = excluded."rateDate",
      "searchText" = excluded."searchText", "firstOrderAt" = excluded."firstOrderAt",
      "rhythmIntervalMs" = excluded."rhythmIntervalMs", "rhythmNextMs" = excluded."rhythmNextMs",
      "fingerprint" = excluded."fingerprint", "refreshedAt" = excluded."refreshedAt"`;
}

/** Replaces the per-currency totals of the given customers. */
export async function replaceTotals(
  db: Pick<Database, 'provider'>,
  tx: CrmTx,
  customerIds: readonly string[],
  totals: readonly CurrencyTotalRow[],
): Promise<void> {
  if (!customerIds.length) return;
  await tx.$executeRaw`DELETE FROM "CustomerCurrencyTotal" WHERE "customerId" IN (${jsonTextList(db.provider, [...customerIds])})`;
  if (!totals.length) return;
  await tx.$executeRaw`
    INSERT INTO "CustomerCurrencyTotal" ("customerId", "currency", "market", "orderCount", "lifetimeMinor", "lastOrderAt", "firstOrderAt")
    ${jsonRowsSelect(db.provider, totals.map(totalValues), TOTAL_TYPES)}
    ON CONFLICT ("customerId", "currency") DO UPDATE SET
      "market" = excluded."market", "orderCount" = excluded."orderCount",
      "lifetimeMinor" = excluded."lifetimeMinor", "lastOrderAt" = excluded."lastOrderAt", "firstOrderAt" = excluded."firstOrderAt"`;
}

/**
 * Creates the missing leads (stage `lead`, no owner), each with its customer's lifetime USD
 * and last order (the copies the triggers of lead-figures.ts keep; inserted right, they are
 * not written twice).
 * Insert-or-ignore on the unique customer id: a lead created meanwhile by another run or
 * instance is left alone, and only the rows this statement inserted come back, so each gets
 * exactly one "created" activity.
 */
export async function insertMissingLeads(
  db: Pick<Database, 'provider'>,
  tx: CrmTx,
  customerIds: readonly string[],
  now: Date,
): Promise<number> {
  if (!customerIds.length) return 0;
  const inserted = await tx.$queryRaw<{ id: number | bigint }[]>`
    WITH n ("customerId", "stage", "version", "createdAt", "updatedAt") AS (${jsonRowsSelect(
      db.provider,
      customerIds.map((id) => [id]),
      ['text'],
      [
        { value: 'lead', type: 'text' },
        { value: 1, type: 'int' },
        { value: now, type: 'datetime' },
        { value: now, type: 'datetime' },
      ],
    )})
    INSERT INTO "Lead" ("customerId", "stage", "version", "createdAt", "updatedAt", "lifetimeUsdCents", "lastOrderAt")
    SELECT n."customerId", n."stage", n."version", n."createdAt", n."updatedAt", c."lifetimeUsdCents", c."lastOrderAt"
    FROM n JOIN "CustomerFigures" c ON c."customerId" = n."customerId" WHERE true
    ON CONFLICT ("customerId") DO NOTHING
    RETURNING "id"`;
  if (inserted.length) {
    await tx.$executeRaw`
      INSERT INTO "Activity" ("leadId", "actorId", "kind", "toValue", "text", "isTouch", "createdAt")
      ${jsonRowsSelect(
        db.provider,
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
