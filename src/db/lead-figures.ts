/**
 * Two of a customer's figures copied onto its lead by database triggers, its lifetime USD and
 * its last order, so that the Home tab's lists by them are ranges of one index of "Lead":
 * - a page of one stage's leads by lifetime USD (the pipeline): (stage, lifetimeUsdCents,
 *   customerId), or (ownerId, stage, lifetimeUsdCents, customerId) for one owner's or the
 *   unowned leads. With the figure on the other table only, a page walked every customer by
 *   USD until it met enough of the stage (thousands deep for a stage whose leads sit low), or
 *   read and sorted the stage;
 * - the leads that ordered lately and were never contacted, with their owner and USD
 *   ("who to call today"): (lastTouchAt, lastOrderAt, ownerId, lifetimeUsdCents), read
 *   without a row of either table, where each recent orderer was a lookup of its lead.
 * Created by the `lead_usd_index` and `lead_last_order` migrations.
 *
 * The app never writes the copies: a figure written (the sync, a revaluation, an import) is
 * copied onto its lead by the same statement, and a lead inserted takes its customer's
 * (the sync inserts it with them already, so nothing is rewritten).
 *
 * SQLite: row triggers. A later migration that redefines "Lead" or "CustomerFigures" drops
 * them with the old table, so the migrator runs `SQLITE_LEAD_FIGURES_REPAIR` after every batch
 * of migrations: it re-creates what is missing and copies every figure that differs.
 * PostgreSQL: statement triggers over transition tables (prisma/postgres/migrations), one
 * UPDATE per statement; a figure writer locks the leads it updates after the figures it
 * wrote, the order the stage totals' triggers already take, so no new wait cycle arises.
 */

const OF_NEW = (column: string) =>
  `(SELECT c."${column}" FROM "CustomerFigures" c WHERE c."customerId" = new."customerId")`;
const LEAD_DIFFERS = `new."lifetimeUsdCents" IS NOT ${OF_NEW('lifetimeUsdCents')} OR new."lastOrderAt" IS NOT ${OF_NEW('lastOrderAt')}`;
const COPY_TO_LEAD = `UPDATE "Lead" SET "lifetimeUsdCents" = COALESCE(${OF_NEW('lifetimeUsdCents')}, 0), "lastOrderAt" = ${OF_NEW('lastOrderAt')}
  WHERE "id" = new."id";`;
const COPY_FROM_FIGURES = `UPDATE "Lead" SET "lifetimeUsdCents" = new."lifetimeUsdCents", "lastOrderAt" = new."lastOrderAt"
  WHERE "customerId" = new."customerId"
    AND ("lifetimeUsdCents" IS NOT new."lifetimeUsdCents" OR "lastOrderAt" IS NOT new."lastOrderAt");`;

export const SQLITE_LEAD_FIGURES_TRIGGERS = `
CREATE TRIGGER IF NOT EXISTS "LeadFigures_lead_ai" AFTER INSERT ON "Lead"
WHEN ${LEAD_DIFFERS} BEGIN
  ${COPY_TO_LEAD}
END;
CREATE TRIGGER IF NOT EXISTS "LeadFigures_lead_au" AFTER UPDATE OF "customerId" ON "Lead"
WHEN ${LEAD_DIFFERS} BEGIN
  ${COPY_TO_LEAD}
END;
CREATE TRIGGER IF NOT EXISTS "LeadFigures_figures_ai" AFTER INSERT ON "CustomerFigures" BEGIN
  ${COPY_FROM_FIGURES}
END;
CREATE TRIGGER IF NOT EXISTS "LeadFigures_figures_au" AFTER UPDATE OF "lifetimeUsdCents", "lastOrderAt", "customerId" ON "CustomerFigures"
WHEN old."lifetimeUsdCents" IS NOT new."lifetimeUsdCents" OR old."lastOrderAt" IS NOT new."lastOrderAt"
  OR old."customerId" IS NOT new."customerId" BEGIN
  ${COPY_FROM_FIGURES}
END;`;

/** Copies every figure that differs from its customer's (one pass over the leads). */
export const SQLITE_LEAD_FIGURES_RECOPY = `
UPDATE "Lead" SET "lifetimeUsdCents" = c."lifetimeUsdCents", "lastOrderAt" = c."lastOrderAt"
FROM "CustomerFigures" c
WHERE c."customerId" = "Lead"."customerId"
  AND ("Lead"."lifetimeUsdCents" IS NOT c."lifetimeUsdCents" OR "Lead"."lastOrderAt" IS NOT c."lastOrderAt");`;

/** Re-creates missing triggers and copies what differs (run by the migrator after migrations). */
export const SQLITE_LEAD_FIGURES_REPAIR = `${SQLITE_LEAD_FIGURES_TRIGGERS}\n${SQLITE_LEAD_FIGURES_RECOPY}`;
