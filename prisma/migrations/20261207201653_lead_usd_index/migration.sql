-- AlterTable
-- (Written by hand: Prisma's diff copies the whole table into a new one; adding the column
-- in place keeps the rows and their triggers as they are.)
ALTER TABLE "Lead" ADD COLUMN "lifetimeUsdCents" BIGINT NOT NULL DEFAULT 0;

-- DropIndex
DROP INDEX "Lead_stage_idx";

-- DropIndex
DROP INDEX "Lead_ownerId_idx";

-- Hand-written: each lead's lifetime USD copied from its customer's figures, then the triggers
-- that keep the copy in step with every write to Lead and CustomerFigures (src/db/lead-usd.ts
-- holds the same statements, which the migrator runs again after later migrations: a table
-- redefinition drops the triggers). The indexes are built after the copy.
UPDATE "Lead" SET "lifetimeUsdCents" = c."lifetimeUsdCents"
FROM "CustomerFigures" c
WHERE c."customerId" = "Lead"."customerId" AND "Lead"."lifetimeUsdCents" IS NOT c."lifetimeUsdCents";

CREATE TRIGGER IF NOT EXISTS "LeadUsd_lead_ai" AFTER INSERT ON "Lead"
WHEN new."lifetimeUsdCents" IS NOT (SELECT c."lifetimeUsdCents" FROM "CustomerFigures" c WHERE c."customerId" = new."customerId") BEGIN
  UPDATE "Lead" SET "lifetimeUsdCents" = COALESCE((SELECT c."lifetimeUsdCents" FROM "CustomerFigures" c WHERE c."customerId" = new."customerId"), 0) WHERE "id" = new."id";
END;
CREATE TRIGGER IF NOT EXISTS "LeadUsd_lead_au" AFTER UPDATE OF "customerId" ON "Lead"
WHEN new."lifetimeUsdCents" IS NOT (SELECT c."lifetimeUsdCents" FROM "CustomerFigures" c WHERE c."customerId" = new."customerId") BEGIN
  UPDATE "Lead" SET "lifetimeUsdCents" = COALESCE((SELECT c."lifetimeUsdCents" FROM "CustomerFigures" c WHERE c."customerId" = new."customerId"), 0) WHERE "id" = new."id";
END;
CREATE TRIGGER IF NOT EXISTS "LeadUsd_figures_ai" AFTER INSERT ON "CustomerFigures" BEGIN
  UPDATE "Lead" SET "lifetimeUsdCents" = new."lifetimeUsdCents"
  WHERE "customerId" = new."customerId" AND "lifetimeUsdCents" IS NOT new."lifetimeUsdCents";
END;
CREATE TRIGGER IF NOT EXISTS "LeadUsd_figures_au" AFTER UPDATE OF "lifetimeUsdCents", "customerId" ON "CustomerFigures"
WHEN old."lifetimeUsdCents" IS NOT new."lifetimeUsdCents" OR old."customerId" IS NOT new."customerId" BEGIN
  UPDATE "Lead" SET "lifetimeUsdCents" = new."lifetimeUsdCents"
  WHERE "customerId" = new."customerId" AND "lifetimeUsdCents" IS NOT new."lifetimeUsdCents";
END;

-- CreateIndex
CREATE INDEX "Lead_stage_lifetimeUsdCents_customerId_idx" ON "Lead"("stage", "lifetimeUsdCents", "customerId");

-- CreateIndex
CREATE INDEX "Lead_ownerId_stage_lifetimeUsdCents_customerId_idx" ON "Lead"("ownerId", "stage", "lifetimeUsdCents", "customerId");
