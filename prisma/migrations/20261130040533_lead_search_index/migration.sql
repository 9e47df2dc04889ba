-- Lead search through an index (hand-written: Prisma's schema cannot describe it).
-- An FTS5 table with the trigram tokenizer over CustomerFigures."searchText": substring
-- search ("text anywhere") answered by the index. External content (no second copy of
-- the text), keyed by the customer row's rowid, kept in step by the triggers below.
-- src/db/search-index.ts holds the same statements, which the migrator runs again after
-- later migrations (a table redefinition drops the triggers).
CREATE VIRTUAL TABLE IF NOT EXISTS "CustomerSearch" USING fts5(
  "searchText", content='CustomerFigures', content_rowid='rowid', tokenize='trigram', detail='none');

CREATE TRIGGER IF NOT EXISTS "CustomerSearch_ai" AFTER INSERT ON "CustomerFigures" BEGIN
  INSERT INTO "CustomerSearch" (rowid, "searchText") VALUES (new.rowid, new."searchText");
END;
CREATE TRIGGER IF NOT EXISTS "CustomerSearch_ad" AFTER DELETE ON "CustomerFigures" BEGIN
  INSERT INTO "CustomerSearch" ("CustomerSearch", rowid, "searchText") VALUES ('delete', old.rowid, old."searchText");
END;
CREATE TRIGGER IF NOT EXISTS "CustomerSearch_au" AFTER UPDATE OF "searchText" ON "CustomerFigures" BEGIN
  INSERT INTO "CustomerSearch" ("CustomerSearch", rowid, "searchText") VALUES ('delete', old.rowid, old."searchText");
  INSERT INTO "CustomerSearch" (rowid, "searchText") VALUES (new.rowid, new."searchText");
END;

-- Exact customer id and exact name, the first two ranks of a search.
CREATE INDEX IF NOT EXISTS "CustomerFigures_lower_customerId_idx" ON "CustomerFigures" (LOWER("customerId"));
CREATE INDEX IF NOT EXISTS "CustomerFigures_lower_name_idx" ON "CustomerFigures" (LOWER("name"));

INSERT INTO "CustomerSearch" ("CustomerSearch") VALUES ('rebuild');
