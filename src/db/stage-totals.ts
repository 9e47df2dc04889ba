/**
 * Per-stage lead totals kept by the database itself (table "StageTotal"): for every stage,
 * owner ('' for none) and list of unconvertible currencies, how many leads and the sum of
 * their lifetime USD. The Home tab's counts and totals read these few rows instead of
 * scanning every lead; triggers on "Lead" and "CustomerFigures" apply each write's change
 * in the same transaction, whoever makes it (the sync, a stage or owner change, a
 * revaluation, another instance), so the totals can never drift from the rows.
 * Created by the `stage_totals` migration.
 *
 * SQLite: row triggers. A later migration that redefines "Lead" or "CustomerFigures" (Prisma
 * copies into a new table and drops the old one) drops the triggers with the old table, so
 * the migrator runs `SQLITE_STAGE_TOTALS_REPAIR` after every batch of migrations: it
 * re-creates what is missing and recounts the totals from the tables.
 * PostgreSQL: statement triggers over transition tables (prisma/postgres/migrations). Each
 * write appends its net change per total as new rows instead of updating one row per total:
 * concurrent writers (a sync chunk, a stage change, a revaluation) then never wait on each
 * other's totals, so they cannot deadlock there. A total is the sum of its rows; the sync
 * folds them back into one row per total (`POSTGRES_STAGE_TOTALS_COMPACT`). A trigger reading
 * the other table (a figure change looking up its lead's stage and owner) locks those rows
 * FOR SHARE, so it waits for a concurrent stage change to commit and sees its result: under
 * READ COMMITTED a plain read would see the old stage and book the change to the wrong total.
 */
import type { Database } from './client';

export const SQLITE_STAGE_TOTALS_TABLE = 'StageTotal';

/** Adds (sign 1) or removes (sign -1) one lead's share. */
const addLead = (stage: string, owner: string, unknown: string, cents: string, where: string) => `
  INSERT INTO "StageTotal" ("stage", "ownerKey", "unknownCurrencies", "leads", "usdCents")
  SELECT ${stage}, COALESCE(${owner}, ''), ${unknown}, 1, ${cents} ${where}
  ON CONFLICT ("stage", "ownerKey", "unknownCurrencies") DO UPDATE SET
    "leads" = "leads" + 1, "usdCents" = "usdCents" + excluded."usdCents";`;
const removeLead = (stage: string, owner: string, unknown: string, cents: string) => `
  UPDATE "StageTotal" SET "leads" = "leads" - 1, "usdCents" = "usdCents" - ${cents}
  WHERE "stage" = ${stage} AND "ownerKey" = COALESCE(${owner}, '') AND "unknownCurrencies" = ${unknown};`;

const OLD_FIGURES = `(SELECT c."lifetimeUsdCents" FROM "CustomerFigures" c WHERE c."customerId" = old."customerId")`;
const OLD_UNKNOWN = `(SELECT c."unknownCurrencies" FROM "CustomerFigures" c WHERE c."customerId" = old."customerId")`;
const FIGURES_OF_NEW = `FROM "CustomerFigures" c WHERE c."customerId" = new."customerId"`;

export const SQLITE_STAGE_TOTALS_TRIGGERS = `
CREATE UNIQUE INDEX IF NOT EXISTS "StageTotal_key" ON "StageTotal" ("stage", "ownerKey", "unknownCurrencies");
CREATE TRIGGER IF NOT EXISTS "StageTotal_lead_ai" AFTER INSERT ON "Lead" BEGIN
  ${addLead('new."stage"', 'new."ownerId"', 'c."unknownCurrencies"', 'c."lifetimeUsdCents"', FIGURES_OF_NEW)}
END;
CREATE TRIGGER IF NOT EXISTS "StageTotal_lead_ad" AFTER DELETE ON "Lead" BEGIN
  ${removeLead('old."stage"', 'old."ownerId"', OLD_UNKNOWN, OLD_FIGURES)}
END;
CREATE TRIGGER IF NOT EXISTS "StageTotal_lead_au" AFTER UPDATE OF "stage", "ownerId", "customerId" ON "Lead"
WHEN old."stage" IS NOT new."stage" OR old."ownerId" IS NOT new."ownerId" OR old."customerId" IS NOT new."customerId" BEGIN
  ${removeLead('old."stage"', 'old."ownerId"', OLD_UNKNOWN, OLD_FIGURES)}
  ${addLead('new."stage"', 'new."ownerId"', 'c."unknownCurrencies"', 'c."lifetimeUsdCents"', FIGURES_OF_NEW)}
END;
CREATE TRIGGER IF NOT EXISTS "StageTotal_figures_ai" AFTER INSERT ON "CustomerFigures" BEGIN
  ${addLead('l."stage"', 'l."ownerId"', 'new."unknownCurrencies"', 'new."lifetimeUsdCents"', `FROM "Lead" l WHERE l."customerId" = new."customerId"`)}
END;
CREATE TRIGGER IF NOT EXISTS "StageTotal_figures_ad" AFTER DELETE ON "CustomerFigures" BEGIN
  UPDATE "StageTotal" SET "leads" = "leads" - 1, "usdCents" = "usdCents" - old."lifetimeUsdCents"
  WHERE "unknownCurrencies" = old."unknownCurrencies"
    AND ("stage", "ownerKey") = (SELECT l."stage", COALESCE(l."ownerId", '') FROM "Lead" l WHERE l."customerId" = old."customerId");
END;
CREATE TRIGGER IF NOT EXISTS "StageTotal_figures_au" AFTER UPDATE OF "lifetimeUsdCents", "unknownCurrencies", "customerId" ON "CustomerFigures"
WHEN old."lifetimeUsdCents" IS NOT new."lifetimeUsdCents" OR old."unknownCurrencies" IS NOT new."unknownCurrencies" OR old."customerId" IS NOT new."customerId" BEGIN
  UPDATE "StageTotal" SET "leads" = "leads" - 1, "usdCents" = "usdCents" - old."lifetimeUsdCents"
  WHERE "unknownCurrencies" = old."unknownCurrencies"
    AND ("stage", "ownerKey") = (SELECT l."stage", COALESCE(l."ownerId", '') FROM "Lead" l WHERE l."customerId" = old."customerId");
  ${addLead('l."stage"', 'l."ownerId"', 'new."unknownCurrencies"', 'new."lifetimeUsdCents"', `FROM "Lead" l WHERE l."customerId" = new."customerId"`)}
END;`;

/** Recounts every total from the tables (one grouped scan). */
export const STAGE_TOTALS_RECOUNT = `
DELETE FROM "StageTotal";
INSERT INTO "StageTotal" ("stage", "ownerKey", "unknownCurrencies", "leads", "usdCents")
SELECT l."stage", COALESCE(l."ownerId", ''), c."unknownCurrencies", COUNT(*), SUM(c."lifetimeUsdCents")
FROM "Lead" l JOIN "CustomerFigures" c ON c."customerId" = l."customerId"
GROUP BY l."stage", COALESCE(l."ownerId", ''), c."unknownCurrencies";`;

/** Re-creates missing triggers and recounts the totals (run by the migrator after migrations). */
export const SQLITE_STAGE_TOTALS_REPAIR = `${SQLITE_STAGE_TOTALS_TRIGGERS}\n${STAGE_TOTALS_RECOUNT}`;

/**
 * PostgreSQL: folds the appended change rows into one row per total. Rows appended meanwhile
 * by transactions not yet committed are not seen by the DELETE and stay as they are; a
 * concurrent fold by another instance deletes each row once, so every change is counted once.
 */
export const POSTGRES_STAGE_TOTALS_COMPACT = `
WITH gone AS (DELETE FROM "StageTotal" RETURNING "stage", "ownerKey", "unknownCurrencies", "leads", "usdCents")
INSERT INTO "StageTotal" ("stage", "ownerKey", "unknownCurrencies", "leads", "usdCents")
SELECT "stage", "ownerKey", "unknownCurrencies", SUM("leads")::INTEGER, SUM("usdCents")::BIGINT FROM gone
GROUP BY "stage", "ownerKey", "unknownCurrencies" HAVING SUM("leads") <> 0 OR SUM("usdCents") <> 0`;

/** Folds PostgreSQL's appended change rows (nothing to do on SQLite, whose totals are one row each). */
export async function compactStageTotals(db: Pick<Database, 'prisma' | 'provider'>): Promise<void> {
  if (db.provider === 'postgres') await db.prisma.$executeRawUnsafe(POSTGRES_STAGE_TOTALS_COMPACT);
}
