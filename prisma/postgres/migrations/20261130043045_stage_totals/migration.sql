-- CreateTable
CREATE TABLE "StageTotal" (
    "id" SERIAL NOT NULL,
    "stage" TEXT NOT NULL,
    "ownerKey" TEXT NOT NULL,
    "unknownCurrencies" TEXT NOT NULL,
    "leads" INTEGER NOT NULL,
    "usdCents" BIGINT NOT NULL,

    CONSTRAINT "StageTotal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StageTotal_stage_ownerKey_unknownCurrencies_idx" ON "StageTotal"("stage", "ownerKey", "unknownCurrencies");


-- Hand-written: triggers keep StageTotal in step with every write to Lead and CustomerFigures
-- (see src/db/stage-totals.ts). Statement triggers over transition tables: each write
-- appends its net change per total (a bulk write, one row per total it touched), so writers
-- never wait on each other's totals; the sync folds the rows together. A trigger that reads
-- the other table locks the rows it reads FOR SHARE, so it sees a concurrent change's result.
-- A stage or owner change reads figures without locking: the figure writer waits for it
-- instead (it locks the lead), so the two never wait on each other both ways.
CREATE OR REPLACE FUNCTION "StageTotal_on_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'Lead' THEN
    INSERT INTO "StageTotal" ("stage", "ownerKey", "unknownCurrencies", "leads", "usdCents")
    SELECT s, o, u, SUM(k)::INTEGER, SUM(v)::BIGINT FROM (
      SELECT r."stage" AS s, COALESCE(r."ownerId", '') AS o, c."unknownCurrencies" AS u, 1 AS k, c."lifetimeUsdCents" AS v
      FROM new_rows r JOIN (SELECT f."customerId", f."unknownCurrencies", f."lifetimeUsdCents" FROM "CustomerFigures" f
        WHERE f."customerId" IN (SELECT "customerId" FROM new_rows) ORDER BY f."customerId" FOR SHARE) c ON c."customerId" = r."customerId"
    ) d GROUP BY s, o, u HAVING SUM(k) <> 0 OR SUM(v) <> 0;
  ELSE
    INSERT INTO "StageTotal" ("stage", "ownerKey", "unknownCurrencies", "leads", "usdCents")
    SELECT s, o, u, SUM(k)::INTEGER, SUM(v)::BIGINT FROM (
      SELECT l."stage" AS s, COALESCE(l."ownerId", '') AS o, r."unknownCurrencies" AS u, 1 AS k, r."lifetimeUsdCents" AS v
      FROM new_rows r JOIN (SELECT x."customerId", x."stage", x."ownerId" FROM "Lead" x
        WHERE x."customerId" IN (SELECT "customerId" FROM new_rows) ORDER BY x."id" FOR SHARE) l ON l."customerId" = r."customerId"
    ) d GROUP BY s, o, u HAVING SUM(k) <> 0 OR SUM(v) <> 0;
  END IF;
  RETURN NULL;
END;
$$;
CREATE OR REPLACE FUNCTION "StageTotal_on_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'Lead' THEN
    INSERT INTO "StageTotal" ("stage", "ownerKey", "unknownCurrencies", "leads", "usdCents")
    SELECT s, o, u, SUM(k)::INTEGER, SUM(v)::BIGINT FROM (
      SELECT r."stage" AS s, COALESCE(r."ownerId", '') AS o, c."unknownCurrencies" AS u, -1 AS k, -c."lifetimeUsdCents" AS v
      FROM old_rows r JOIN "CustomerFigures" c ON c."customerId" = r."customerId"
    ) d GROUP BY s, o, u HAVING SUM(k) <> 0 OR SUM(v) <> 0;
  ELSE
    INSERT INTO "StageTotal" ("stage", "ownerKey", "unknownCurrencies", "leads", "usdCents")
    SELECT s, o, u, SUM(k)::INTEGER, SUM(v)::BIGINT FROM (
      SELECT l."stage" AS s, COALESCE(l."ownerId", '') AS o, r."unknownCurrencies" AS u, -1 AS k, -r."lifetimeUsdCents" AS v
      FROM old_rows r JOIN (SELECT x."customerId", x."stage", x."ownerId" FROM "Lead" x
        WHERE x."customerId" IN (SELECT "customerId" FROM old_rows) ORDER BY x."id" FOR SHARE) l ON l."customerId" = r."customerId"
    ) d GROUP BY s, o, u HAVING SUM(k) <> 0 OR SUM(v) <> 0;
  END IF;
  RETURN NULL;
END;
$$;
CREATE OR REPLACE FUNCTION "StageTotal_on_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'Lead' THEN
    INSERT INTO "StageTotal" ("stage", "ownerKey", "unknownCurrencies", "leads", "usdCents")
    SELECT s, o, u, SUM(k)::INTEGER, SUM(v)::BIGINT FROM (
      SELECT r."stage" AS s, COALESCE(r."ownerId", '') AS o, c."unknownCurrencies" AS u, 1 AS k, c."lifetimeUsdCents" AS v
      FROM new_rows r JOIN "CustomerFigures" c ON c."customerId" = r."customerId"
      UNION ALL
      SELECT r."stage" AS s, COALESCE(r."ownerId", '') AS o, c."unknownCurrencies" AS u, -1 AS k, -c."lifetimeUsdCents" AS v
      FROM old_rows r JOIN "CustomerFigures" c ON c."customerId" = r."customerId"
    ) d GROUP BY s, o, u HAVING SUM(k) <> 0 OR SUM(v) <> 0;
  ELSE
    INSERT INTO "StageTotal" ("stage", "ownerKey", "unknownCurrencies", "leads", "usdCents")
    SELECT s, o, u, SUM(k)::INTEGER, SUM(v)::BIGINT FROM (
      SELECT l."stage" AS s, COALESCE(l."ownerId", '') AS o, r."unknownCurrencies" AS u, 1 AS k, r."lifetimeUsdCents" AS v
      FROM new_rows r JOIN (SELECT x."customerId", x."stage", x."ownerId" FROM "Lead" x
        WHERE x."customerId" IN (SELECT "customerId" FROM new_rows) ORDER BY x."id" FOR SHARE) l ON l."customerId" = r."customerId"
      UNION ALL
      SELECT l."stage" AS s, COALESCE(l."ownerId", '') AS o, r."unknownCurrencies" AS u, -1 AS k, -r."lifetimeUsdCents" AS v
      FROM old_rows r JOIN (SELECT x."customerId", x."stage", x."ownerId" FROM "Lead" x
        WHERE x."customerId" IN (SELECT "customerId" FROM old_rows) ORDER BY x."id" FOR SHARE) l ON l."customerId" = r."customerId"
    ) d GROUP BY s, o, u HAVING SUM(k) <> 0 OR SUM(v) <> 0;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "StageTotal_lead_ai" AFTER INSERT ON "Lead" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "StageTotal_on_insert"();
CREATE TRIGGER "StageTotal_lead_ad" AFTER DELETE ON "Lead" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "StageTotal_on_delete"();
CREATE TRIGGER "StageTotal_lead_au" AFTER UPDATE ON "Lead" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "StageTotal_on_update"();

CREATE TRIGGER "StageTotal_figures_ai" AFTER INSERT ON "CustomerFigures" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "StageTotal_on_insert"();
CREATE TRIGGER "StageTotal_figures_ad" AFTER DELETE ON "CustomerFigures" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "StageTotal_on_delete"();
CREATE TRIGGER "StageTotal_figures_au" AFTER UPDATE ON "CustomerFigures" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "StageTotal_on_update"();

-- The totals of the leads already there.
INSERT INTO "StageTotal" ("stage", "ownerKey", "unknownCurrencies", "leads", "usdCents")
SELECT l."stage", COALESCE(l."ownerId", ''), c."unknownCurrencies", COUNT(*), SUM(c."lifetimeUsdCents")
FROM "Lead" l JOIN "CustomerFigures" c ON c."customerId" = l."customerId"
GROUP BY l."stage", COALESCE(l."ownerId", ''), c."unknownCurrencies";
