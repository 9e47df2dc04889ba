-- Hand-written (SQLite only; no model changed): counters of the CRM data and of the sync's
-- run records, bumped by triggers on every write to the tables they cover, whoever writes:
-- the data version Home readers share (src/db/sqlite-data-version.ts holds the same
-- statements, which the migrator runs again after later migrations: a table redefinition
-- drops the triggers).
CREATE TABLE IF NOT EXISTS "DataVersion" ("concern" TEXT NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL) WITHOUT ROWID;
INSERT OR IGNORE INTO "DataVersion" ("concern", "version") VALUES ('crm', 0), ('sync', 0);
CREATE TRIGGER IF NOT EXISTS "DataVersion_Lead_ai" AFTER INSERT ON "Lead" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_Lead_au" AFTER UPDATE ON "Lead" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_Lead_ad" AFTER DELETE ON "Lead" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_CustomerFigures_ai" AFTER INSERT ON "CustomerFigures" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_CustomerFigures_au" AFTER UPDATE ON "CustomerFigures" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_CustomerFigures_ad" AFTER DELETE ON "CustomerFigures" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_CustomerCurrencyTotal_ai" AFTER INSERT ON "CustomerCurrencyTotal" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_CustomerCurrencyTotal_au" AFTER UPDATE ON "CustomerCurrencyTotal" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_CustomerCurrencyTotal_ad" AFTER DELETE ON "CustomerCurrencyTotal" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_Activity_ai" AFTER INSERT ON "Activity" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_Activity_au" AFTER UPDATE ON "Activity" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_Activity_ad" AFTER DELETE ON "Activity" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_FollowUpAlert_ai" AFTER INSERT ON "FollowUpAlert" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_FollowUpAlert_au" AFTER UPDATE ON "FollowUpAlert" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_FollowUpAlert_ad" AFTER DELETE ON "FollowUpAlert" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_RosterMember_ai" AFTER INSERT ON "RosterMember" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_RosterMember_au" AFTER UPDATE ON "RosterMember" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_RosterMember_ad" AFTER DELETE ON "RosterMember" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_Setting_ai" AFTER INSERT ON "Setting" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_Setting_au" AFTER UPDATE ON "Setting" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_Setting_ad" AFTER DELETE ON "Setting" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_CurrencyRate_ai" AFTER INSERT ON "CurrencyRate" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_CurrencyRate_au" AFTER UPDATE ON "CurrencyRate" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_CurrencyRate_ad" AFTER DELETE ON "CurrencyRate" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_AuditEntry_ai" AFTER INSERT ON "AuditEntry" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_AuditEntry_au" AFTER UPDATE ON "AuditEntry" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_AuditEntry_ad" AFTER DELETE ON "AuditEntry" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_AdminNotice_ai" AFTER INSERT ON "AdminNotice" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_AdminNotice_au" AFTER UPDATE ON "AdminNotice" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_AdminNotice_ad" AFTER DELETE ON "AdminNotice" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_SuggestionDismissal_ai" AFTER INSERT ON "SuggestionDismissal" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_SuggestionDismissal_au" AFTER UPDATE ON "SuggestionDismissal" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_SuggestionDismissal_ad" AFTER DELETE ON "SuggestionDismissal" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'crm';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_SyncRun_ai" AFTER INSERT ON "SyncRun" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'sync';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_SyncRun_au" AFTER UPDATE ON "SyncRun" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'sync';
END;
CREATE TRIGGER IF NOT EXISTS "DataVersion_SyncRun_ad" AFTER DELETE ON "SyncRun" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = 'sync';
END;
