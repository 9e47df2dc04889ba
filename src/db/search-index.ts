/**
 * The lead-search index, which Prisma's schema cannot describe: on SQLite an FTS5 table
 * with the trigram tokenizer over CustomerFigures."searchText" (substring search through
 * the index), kept in step by triggers; on PostgreSQL a pg_trgm GIN index (a plain index,
 * nothing to keep in step). Both also index LOWER(customerId) and LOWER(name) (exact matches). Created by the `lead_search_index` migration.
 *
 * SQLite only: the FTS table holds no copy of the text (external content, keyed by the
 * customer row's rowid). A later migration that redefines CustomerFigures (Prisma does that
 * on SQLite by copying into a new table and dropping the old one) drops the triggers with
 * the old table and may renumber rowids, so the migrator runs `SQLITE_SEARCH_INDEX_REPAIR`
 * after every batch of migrations: it re-creates what is missing and rebuilds the index
 * from the table (80 ms for 50,000 customers).
 */
export const SQLITE_SEARCH_TABLE = 'CustomerSearch';

const TRIGGERS = `
CREATE TRIGGER IF NOT EXISTS "CustomerSearch_ai" AFTER INSERT ON "CustomerFigures" BEGIN
  INSERT INTO "CustomerSearch" (rowid, "searchText") VALUES (new.rowid, new."searchText");
END;
CREATE TRIGGER IF NOT EXISTS "CustomerSearch_ad" AFTER DELETE ON "CustomerFigures" BEGIN
  INSERT INTO "CustomerSearch" ("CustomerSearch", rowid, "searchText") VALUES ('delete', old.rowid, old."searchText");
END;
CREATE TRIGGER IF NOT EXISTS "CustomerSearch_au" AFTER UPDATE OF "searchText" ON "CustomerFigures" BEGIN
  INSERT INTO "CustomerSearch" ("CustomerSearch", rowid, "searchText") VALUES ('delete', old.rowid, old."searchText");
  INSERT INTO "CustomerSearch" (rowid, "searchText") VALUES (new.rowid, new."searchText");
END;`;

/** Re-creates the FTS table and triggers if missing, and rebuilds the index from CustomerFigures. */
export const SQLITE_SEARCH_INDEX_REPAIR = `
CREATE VIRTUAL TABLE IF NOT EXISTS "CustomerSearch" USING fts5(
  "searchText", content='CustomerFigures', content_rowid='rowid', tokenize='trigram', detail='none');
${TRIGGERS}
CREATE INDEX IF NOT EXISTS "CustomerFigures_lower_customerId_idx" ON "CustomerFigures" (LOWER("customerId"));
CREATE INDEX IF NOT EXISTS "CustomerFigures_lower_name_idx" ON "CustomerFigures" (LOWER("name"));
INSERT INTO "CustomerSearch" ("CustomerSearch") VALUES ('rebuild');`;
