-- DropIndex
DROP INDEX "Lead_lastTouchAt_idx";

-- AlterTable
ALTER TABLE "Lead" ADD COLUMN     "lastOrderAt" TIMESTAMP(3);



-- Hand-written: the lead's copies of its customer's figures now include the last order (see
-- src/db/lead-figures.ts). The functions and triggers of `lead_usd_index` are replaced by ones
-- copying both figures; the copies are made before the index is built.
DROP TRIGGER IF EXISTS "LeadUsd_figures_ai" ON "CustomerFigures";
DROP TRIGGER IF EXISTS "LeadUsd_figures_au" ON "CustomerFigures";
DROP TRIGGER IF EXISTS "LeadUsd_lead_ai" ON "Lead";
DROP TRIGGER IF EXISTS "LeadUsd_lead_au" ON "Lead";
DROP FUNCTION IF EXISTS "LeadUsd_from_figures"();
DROP FUNCTION IF EXISTS "LeadUsd_of_leads"();
DROP FUNCTION IF EXISTS "LeadUsd_of_moved_lead"();

UPDATE "Lead" l SET "lifetimeUsdCents" = c."lifetimeUsdCents", "lastOrderAt" = c."lastOrderAt"
FROM "CustomerFigures" c
WHERE c."customerId" = l."customerId"
  AND (l."lifetimeUsdCents" IS DISTINCT FROM c."lifetimeUsdCents" OR l."lastOrderAt" IS DISTINCT FROM c."lastOrderAt");

-- A statement trigger fires even for a statement that changed no row, so the lead trigger
-- returns at once when its own UPDATE (which fires it again) had nothing to do.
CREATE OR REPLACE FUNCTION "LeadFigures_from_figures"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Lead" l SET "lifetimeUsdCents" = r."lifetimeUsdCents", "lastOrderAt" = r."lastOrderAt"
  FROM new_rows r
  WHERE l."customerId" = r."customerId"
    AND (l."lifetimeUsdCents" IS DISTINCT FROM r."lifetimeUsdCents" OR l."lastOrderAt" IS DISTINCT FROM r."lastOrderAt");
  RETURN NULL;
END;
$$;
CREATE OR REPLACE FUNCTION "LeadFigures_of_leads"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN
    RETURN NULL;
  END IF;
  UPDATE "Lead" l SET "lifetimeUsdCents" = c."lifetimeUsdCents", "lastOrderAt" = c."lastOrderAt"
  FROM new_rows r JOIN "CustomerFigures" c ON c."customerId" = r."customerId"
  WHERE l."id" = r."id"
    AND (l."lifetimeUsdCents" IS DISTINCT FROM c."lifetimeUsdCents" OR l."lastOrderAt" IS DISTINCT FROM c."lastOrderAt");
  RETURN NULL;
END;
$$;
CREATE OR REPLACE FUNCTION "LeadFigures_of_moved_lead"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Lead" SET
    "lifetimeUsdCents" = COALESCE((SELECT c."lifetimeUsdCents" FROM "CustomerFigures" c WHERE c."customerId" = NEW."customerId"), 0),
    "lastOrderAt" = (SELECT c."lastOrderAt" FROM "CustomerFigures" c WHERE c."customerId" = NEW."customerId")
  WHERE "id" = NEW."id";
  RETURN NULL;
END;
$$;

CREATE TRIGGER "LeadFigures_figures_ai" AFTER INSERT ON "CustomerFigures" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "LeadFigures_from_figures"();
CREATE TRIGGER "LeadFigures_figures_au" AFTER UPDATE ON "CustomerFigures" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "LeadFigures_from_figures"();
CREATE TRIGGER "LeadFigures_lead_ai" AFTER INSERT ON "Lead" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "LeadFigures_of_leads"();
CREATE TRIGGER "LeadFigures_lead_au" AFTER UPDATE OF "customerId" ON "Lead" FOR EACH ROW
  WHEN (OLD."customerId" IS DISTINCT FROM NEW."customerId") EXECUTE FUNCTION "LeadFigures_of_moved_lead"();

-- CreateIndex
CREATE INDEX "Lead_lastTouchAt_lastOrderAt_ownerId_lifetimeUsdCents_idx" ON "Lead"("lastTouchAt", "lastOrderAt", "ownerId", "lifetimeUsdCents");
