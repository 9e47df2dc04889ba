-- DropIndex
DROP INDEX "Lead_stage_idx";

-- DropIndex
DROP INDEX "Lead_ownerId_idx";

-- AlterTable
ALTER TABLE "Lead" ADD COLUMN     "lifetimeUsdCents" BIGINT NOT NULL DEFAULT 0;

-- Hand-written: each lead's lifetime USD copied from its customer's figures (before the
-- indexes are built), then the triggers that keep the copy in step (see src/db/lead-usd.ts).
-- Statement triggers over transition tables: one UPDATE per statement, of the leads whose
-- copy differs. A statement trigger fires even for a statement that changed no row, so the
-- lead trigger returns at once when its own UPDATE (which fires it again) had nothing to do.
UPDATE "Lead" l SET "lifetimeUsdCents" = c."lifetimeUsdCents"
FROM "CustomerFigures" c
WHERE c."customerId" = l."customerId" AND l."lifetimeUsdCents" IS DISTINCT FROM c."lifetimeUsdCents";

CREATE OR REPLACE FUNCTION "LeadUsd_from_figures"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Lead" l SET "lifetimeUsdCents" = r."lifetimeUsdCents"
  FROM new_rows r
  WHERE l."customerId" = r."customerId" AND l."lifetimeUsdCents" IS DISTINCT FROM r."lifetimeUsdCents";
  RETURN NULL;
END;
$$;
CREATE OR REPLACE FUNCTION "LeadUsd_of_leads"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN
    RETURN NULL;
  END IF;
  UPDATE "Lead" l SET "lifetimeUsdCents" = c."lifetimeUsdCents"
  FROM new_rows r JOIN "CustomerFigures" c ON c."customerId" = r."customerId"
  WHERE l."id" = r."id" AND l."lifetimeUsdCents" IS DISTINCT FROM c."lifetimeUsdCents";
  RETURN NULL;
END;
$$;
CREATE OR REPLACE FUNCTION "LeadUsd_of_moved_lead"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Lead" SET "lifetimeUsdCents" = COALESCE((SELECT c."lifetimeUsdCents" FROM "CustomerFigures" c WHERE c."customerId" = NEW."customerId"), 0)
  WHERE "id" = NEW."id";
  RETURN NULL;
END;
$$;

CREATE TRIGGER "LeadUsd_figures_ai" AFTER INSERT ON "CustomerFigures" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "LeadUsd_from_figures"();
CREATE TRIGGER "LeadUsd_figures_au" AFTER UPDATE ON "CustomerFigures" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "LeadUsd_from_figures"();
CREATE TRIGGER "LeadUsd_lead_ai" AFTER INSERT ON "Lead" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "LeadUsd_of_leads"();
CREATE TRIGGER "LeadUsd_lead_au" AFTER UPDATE OF "customerId" ON "Lead" FOR EACH ROW
  WHEN (OLD."customerId" IS DISTINCT FROM NEW."customerId") EXECUTE FUNCTION "LeadUsd_of_moved_lead"();

-- CreateIndex
CREATE INDEX "Lead_stage_lifetimeUsdCents_customerId_idx" ON "Lead"("stage", "lifetimeUsdCents", "customerId");

-- CreateIndex
CREATE INDEX "Lead_ownerId_stage_lifetimeUsdCents_customerId_idx" ON "Lead"("ownerId", "stage", "lifetimeUsdCents", "customerId");
