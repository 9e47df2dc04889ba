/**
 * Each lead's lifetime USD, copied onto "Lead" from its customer's "CustomerFigures" row by
 * database triggers, so that a page of one stage's leads by lifetime USD (the pipeline on the
 * Home tab) is a range of one index: "Lead" (stage, lifetimeUsdCents, customerId), or
 * (ownerId, stage, lifetimeUsdCents, customerId) for one owner's or the unowned leads. With
 * the figure on the other table, a page had to walk every customer by USD until it met five
 * of the stage (thousands deep for a stage whose leads sit low), or read and sort the stage.
 * Created by the `lead_usd_index` migration.
 *
 * The app never writes the column: a figure written (the sync, a revaluation, an import) is
 * copied onto its lead in the same statement's transaction, and a lead inserted takes its
 * customer's figure (the sync inserts it with the figure already, so nothing is rewritten).
 *
 * SQLite: row triggers. A later migration that redefines "Lead" or "CustomerFigures" drops
 * them with the old table, so the migrator runs `SQLITE_LEAD_USD_REPAIR` after every batch of
 * migrations: it re-creates what is missing and copies every figure that differs.
 * PostgreSQL: statement triggers over transition tables (prisma/postgres/migrations), one
 * UPDATE per statement; a figure writer locks the leads it updates after the figures it
 * wrote, the order the stage totals' triggers already take, so no new wait cycle arises.
 */

const FIGURE_OF_NEW = `(SELECT c."lifetimeUsdCents" FROM "CustomerFigures" c WHERE c."customerId" = new."customerId")`;

export const SQLITE_LEAD_USD_TRIGGERS = `
CREATE TRIGGER IF NOT EXISTS "LeadUsd_lead_ai" AFTER INSERT ON "Lead"
WHEN new."lifetimeUsdCents" IS NOT ${FIGURE_OF_NEW} BEGIN
  UPDATE "Lead" SET "lifetimeUsdCents" = COALESCE(${FIGURE_OF_NEW}, 0) WHERE "id" = new."id";
END;
CREATE TRIGGER IF NOT EXISTS "LeadUsd_lead_au" AFTER UPDATE OF "customerId" ON "Lead"
WHEN new."lifetimeUsdCents" IS NOT ${FIGURE_OF_NEW} BEGIN
  UPDATE "Lead" SET "lifetimeUsdCents" = COALESCE(${FIGURE_OF_NEW}, 0) WHERE "id" = new."id";
END;
CREATE TRIGGER IF NOT EXISTS "LeadUsd_figures_ai" AFTER INSERT ON "CustomerFigures" BEGIN
  UPDATE "Lead" SET "lifetimeUsdCents" = new."lifetimeUsdCents"
  WHERE "customerId" = new."customerId" AND "lifetimeUsdCents" IS NOT new."lifetimeUsdCents";
END;
CREATE TRIGGER IF NOT EXISTS "LeadUsd_figures_au" AFTER UPDATE OF "lifetimeUsdCents", "customerId" ON "CustomerFigures"
WHEN old."lifetimeUsdCents" IS NOT new."lifetimeUsdCents" OR old."customerId" IS NOT new."customerId" BEGIN
  UPDATE "Lead" SET "lifetimeUsdCents" = new."lifetimeUsdCents"
  WHERE "customerId" = new."customerId" AND "lifetimeUsdCents" IS NOT new."lifetimeUsdCents";
END;`;

/** Copies every figure that differs from its customer's (one pass over the leads). */
export const SQLITE_LEAD_USD_RECOPY = `
UPDATE "Lead" SET "lifetimeUsdCents" = c."lifetimeUsdCents"
FROM "CustomerFigures" c
WHERE c."customerId" = "Lead"."customerId" AND "Lead"."lifetimeUsdCents" IS NOT c."lifetimeUsdCents";`;

/** Re-creates missing triggers and copies what differs (run by the migrator after migrations). */
export const SQLITE_LEAD_USD_REPAIR = `${SQLITE_LEAD_USD_TRIGGERS}\n${SQLITE_LEAD_USD_RECOPY}`;
