-- CreateTable
CREATE TABLE "StageTotal" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "stage" TEXT NOT NULL,
    "ownerKey" TEXT NOT NULL,
    "unknownCurrencies" TEXT NOT NULL,
    "leads" INTEGER NOT NULL,
    "usdCents" BIGINT NOT NULL
);

-- CreateIndex
CREATE INDEX "StageTotal_stage_ownerKey_unknownCurrencies_idx" ON "StageTotal"("stage", "ownerKey", "unknownCurrencies");


-- Hand-written: triggers keep StageTotal in step with every write to Lead and CustomerFigures,
-- and a unique key so each total is one row updated in place (src/db/stage-totals.ts holds the
-- same statements, which the migrator runs again after later migrations: a table redefinition
-- drops the triggers). Then the totals of the leads already there.

CREATE UNIQUE INDEX IF NOT EXISTS "StageTotal_key" ON "StageTotal" ("stage", "ownerKey", "unknownCurrencies");
CREATE TRIGGER IF NOT EXISTS "StageTotal_lead_ai" AFTER INSERT ON "Lead" BEGIN
  
  INSERT INTO "StageTotal" ("stage", "ownerKey", "unknownCurrencies", "leads", "usdCents")
  SELECT new."stage", COALESCE(new."ownerId", ''), c."unknownCurrencies", 1, c."lifetimeUsdCents" FROM "CustomerFigures" c WHERE c."customerId" = new."customerId"
  ON CONFLICT ("stage", "ownerKey", "unknownCurrencies") DO UPDATE SET
    "leads" = "leads" + 1, "usdCents" = "usdCents" + excluded."usdCents";
END;
CREATE TRIGGER IF NOT EXISTS "StageTotal_lead_ad" AFTER DELETE ON "Lead" BEGIN
  
  UPDATE "StageTotal" SET "leads" = "leads" - 1, "usdCents" = "usdCents" - (SELECT c."lifetimeUsdCents" FROM "CustomerFigures" c WHERE c."customerId" = old."customerId")
  WHERE "stage" = old."stage" AND "ownerKey" = COALESCE(old."ownerId", '') AND "unknownCurrencies" = (SELECT c."unknownCurrencies" FROM "CustomerFigures" c WHERE c."customerId" = old."customerId");
END;
CREATE TRIGGER IF NOT EXISTS "StageTotal_lead_au" AFTER UPDATE OF "stage", "ownerId", "customerId" ON "Lead"
WHEN old."stage" IS NOT new."stage" OR old."ownerId" IS NOT new."ownerId" OR old."customerId" IS NOT new."customerId" BEGIN
  
  UPDATE "StageTotal" SET "leads" = "leads" - 1, "usdCents" = "usdCents" - (SELECT c."lifetimeUsdCents" FROM "CustomerFigures" c WHERE c."customerId" = old."customerId")
  WHERE "stage" = old."stage" AND "ownerKey" = COALESCE(old."ownerId", '') AND "unknownCurrencies" = (SELECT c."unknownCurrencies" FROM "CustomerFigures" c WHERE c."customerId" = old."customerId");
  
  INSERT INTO "StageTotal" ("stage", "ownerKey", "unknownCurrencies", "leads", "usdCents")
  SELECT new."stage", COALESCE(new."ownerId", ''), c."unknownCurrencies", 1, c."lifetimeUsdCents" FROM "CustomerFigures" c WHERE c."customerId" = new."customerId"
  ON CONFLICT ("stage", "ownerKey", "unknownCurrencies") DO UPDATE SET
    "leads" = "leads" + 1, "usdCents" = "usdCents" + excluded."usdCents";
END;
CREATE TRIGGER IF NOT EXISTS "StageTotal_figures_ai" AFTER INSERT ON "CustomerFigures" BEGIN
  
  INSERT INTO "StageTotal" ("stage", "ownerKey", "unknownCurrencies", "leads", "usdCents")
  SELECT l."stage", COALESCE(l."ownerId", ''), new."unknownCurrencies", 1, new."lifetimeUsdCents" FROM "Lead" l WHERE l."customerId" = new."customerId"
  ON CONFLICT ("stage", "ownerKey", "unknownCurrencies") DO UPDATE SET
    "leads" = "leads" + 1, "usdCents" = "usdCents" + excluded."usdCents";
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
  
  INSERT INTO "StageTotal" ("stage", "ownerKey", "unknownCurrencies", "leads", "usdCents")
  SELECT l."stage", COALESCE(l."ownerId", ''), new."unknownCurrencies", 1, new."lifetimeUsdCents" FROM "Lead" l WHERE l."customerId" = new."customerId"
  ON CONFLICT ("stage", "ownerKey", "unknownCurrencies") DO UPDATE SET
    "leads" = "leads" + 1, "usdCents" = "usdCents" + excluded."usdCents";
END;

DELETE FROM "StageTotal";
INSERT INTO "StageTotal" ("stage", "ownerKey", "unknownCurrencies", "leads", "usdCents")
SELECT l."stage", COALESCE(l."ownerId", ''), c."unknownCurrencies", COUNT(*), SUM(c."lifetimeUsdCents")
FROM "Lead" l JOIN "CustomerFigures" c ON c."customerId" = l."customerId"
GROUP BY l."stage", COALESCE(l."ownerId", ''), c."unknownCurrencies";
