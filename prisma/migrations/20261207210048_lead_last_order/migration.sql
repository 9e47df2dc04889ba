-- DropIndex
DROP INDEX "Lead_lastTouchAt_idx";

-- AlterTable
ALTER TABLE "Lead" ADD COLUMN "lastOrderAt" DATETIME;

-- Hand-written: the lead's copies of its customer's figures now include the last order (see
-- src/db/lead-figures.ts, which holds the same statements; the migrator runs them again after
-- later migrations). The triggers of `lead_usd_index` are replaced by ones copying both
-- figures, the copies are made, then the index is built.
DROP TRIGGER IF EXISTS "LeadUsd_lead_ai";
DROP TRIGGER IF EXISTS "LeadUsd_lead_au";
DROP TRIGGER IF EXISTS "LeadUsd_figures_ai";
DROP TRIGGER IF EXISTS "LeadUsd_figures_au";

UPDATE "Lead" SET "lifetimeUsdCents" = c."lifetimeUsdCents", "lastOrderAt" = c."lastOrderAt"
FROM "CustomerFigures" c
WHERE c."customerId" = "Lead"."customerId"
  AND ("Lead"."lifetimeUsdCents" IS NOT c."lifetimeUsdCents" OR "Lead"."lastOrderAt" IS NOT c."lastOrderAt");

CREATE TRIGGER IF NOT EXISTS "LeadFigures_lead_ai" AFTER INSERT ON "Lead"
WHEN new."lifetimeUsdCents" IS NOT (SELECT c."lifetimeUsdCents" FROM "CustomerFigures" c WHERE c."customerId" = new."customerId") OR new."lastOrderAt" IS NOT (SELECT c."lastOrderAt" FROM "CustomerFigures" c WHERE c."customerId" = new."customerId") BEGIN
  UPDATE "Lead" SET "lifetimeUsdCents" = COALESCE((SELECT c."lifetimeUsdCents" FROM "CustomerFigures" c WHERE c."customerId" = new."customerId"), 0), "lastOrderAt" = (SELECT c."lastOrderAt" FROM "CustomerFigures" c WHERE c."customerId" = new."customerId")
  WHERE "id" = new."id";
END;
CREATE TRIGGER IF NOT EXISTS "LeadFigures_lead_au" AFTER UPDATE OF "customerId" ON "Lead"
WHEN new."lifetimeUsdCents" IS NOT (SELECT c."lifetimeUsdCents" FROM "CustomerFigures" c WHERE c."customerId" = new."customerId") OR new."lastOrderAt" IS NOT (SELECT c."lastOrderAt" FROM "CustomerFigures" c WHERE c."customerId" = new."customerId") BEGIN
  UPDATE "Lead" SET "lifetimeUsdCents" = COALESCE((SELECT c."lifetimeUsdCents" FROM "CustomerFigures" c WHERE c."customerId" = new."customerId"), 0), "lastOrderAt" = (SELECT c."lastOrderAt" FROM "CustomerFigures" c WHERE c."customerId" = new."customerId")
  WHERE "id" = new."id";
END;
CREATE TRIGGER IF NOT EXISTS "LeadFigures_figures_ai" AFTER INSERT ON "CustomerFigures" BEGIN
  UPDATE "Lead" SET "lifetimeUsdCents" = new."lifetimeUsdCents", "lastOrderAt" = new."lastOrderAt"
  WHERE "customerId" = new."customerId"
    AND ("lifetimeUsdCents" IS NOT new."lifetimeUsdCents" OR "lastOrderAt" IS NOT new."lastOrderAt");
END;
CREATE TRIGGER IF NOT EXISTS "LeadFigures_figures_au" AFTER UPDATE OF "lifetimeUsdCents", "lastOrderAt", "customerId" ON "CustomerFigures"
WHEN old."lifetimeUsdCents" IS NOT new."lifetimeUsdCents" OR old."lastOrderAt" IS NOT new."lastOrderAt"
  OR old."customerId" IS NOT new."customerId" BEGIN
  UPDATE "Lead" SET "lifetimeUsdCents" = new."lifetimeUsdCents", "lastOrderAt" = new."lastOrderAt"
  WHERE "customerId" = new."customerId"
    AND ("lifetimeUsdCents" IS NOT new."lifetimeUsdCents" OR "lastOrderAt" IS NOT new."lastOrderAt");
END;

-- CreateIndex
CREATE INDEX "Lead_lastTouchAt_lastOrderAt_ownerId_lifetimeUsdCents_idx" ON "Lead"("lastTouchAt", "lastOrderAt", "ownerId", "lifetimeUsdCents");
