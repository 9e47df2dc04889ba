-- Hand-written (PostgreSQL only; no model changed): the ids of the transactions that write the
-- CRM data or the sync's run records, noted by statement triggers whoever writes: the data
-- versions Home readers share (src/db/postgres-data-version.ts; the tables are those of
-- DATA_VERSION_TABLES in src/db/sqlite-data-version.ts). Each transaction inserts only its own
-- row, so writers never wait on each other here; a rolled-back transaction's row goes with it.
CREATE TABLE "DataWrite" (
    "xid" BIGINT NOT NULL,
    "concern" TEXT NOT NULL,

    CONSTRAINT "DataWrite_pkey" PRIMARY KEY ("xid", "concern")
);

-- Rows below this id were pruned: a reader that compares with an older snapshot counts everything as changed.
CREATE TABLE "DataWriteHorizon" (
    "xid" BIGINT NOT NULL
);
INSERT INTO "DataWriteHorizon" ("xid") VALUES (0);

-- A statement that changed nothing, in a transaction that has written nothing yet, has no id and notes nothing.
CREATE OR REPLACE FUNCTION "DataWrite_note"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  x xid8 := pg_current_xact_id_if_assigned();
BEGIN
  IF x IS NOT NULL THEN
    INSERT INTO "DataWrite" ("xid", "concern") VALUES (CAST(CAST(x AS TEXT) AS BIGINT), TG_ARGV[0]) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "DataWrite_Lead" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Lead"
  FOR EACH STATEMENT EXECUTE FUNCTION "DataWrite_note"('crm');
CREATE TRIGGER "DataWrite_CustomerFigures" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "CustomerFigures"
  FOR EACH STATEMENT EXECUTE FUNCTION "DataWrite_note"('crm');
CREATE TRIGGER "DataWrite_CustomerCurrencyTotal" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "CustomerCurrencyTotal"
  FOR EACH STATEMENT EXECUTE FUNCTION "DataWrite_note"('crm');
CREATE TRIGGER "DataWrite_Activity" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Activity"
  FOR EACH STATEMENT EXECUTE FUNCTION "DataWrite_note"('crm');
CREATE TRIGGER "DataWrite_FollowUpAlert" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "FollowUpAlert"
  FOR EACH STATEMENT EXECUTE FUNCTION "DataWrite_note"('crm');
CREATE TRIGGER "DataWrite_RosterMember" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "RosterMember"
  FOR EACH STATEMENT EXECUTE FUNCTION "DataWrite_note"('crm');
CREATE TRIGGER "DataWrite_Setting" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Setting"
  FOR EACH STATEMENT EXECUTE FUNCTION "DataWrite_note"('crm');
CREATE TRIGGER "DataWrite_CurrencyRate" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "CurrencyRate"
  FOR EACH STATEMENT EXECUTE FUNCTION "DataWrite_note"('crm');
CREATE TRIGGER "DataWrite_AuditEntry" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "AuditEntry"
  FOR EACH STATEMENT EXECUTE FUNCTION "DataWrite_note"('crm');
CREATE TRIGGER "DataWrite_AdminNotice" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "AdminNotice"
  FOR EACH STATEMENT EXECUTE FUNCTION "DataWrite_note"('crm');
CREATE TRIGGER "DataWrite_SuggestionDismissal" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "SuggestionDismissal"
  FOR EACH STATEMENT EXECUTE FUNCTION "DataWrite_note"('crm');
CREATE TRIGGER "DataWrite_SyncRun" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "SyncRun"
  FOR EACH STATEMENT EXECUTE FUNCTION "DataWrite_note"('sync');
