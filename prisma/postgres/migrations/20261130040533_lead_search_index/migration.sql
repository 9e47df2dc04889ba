-- Lead search through an index (hand-written: Prisma's schema cannot describe it).
-- A pg_trgm GIN index answers LIKE '%text%' on CustomerFigures."searchText". The extension
-- goes to "public" so that one installation serves every schema of the database (and
-- dropping an app schema never drops it); pg_trgm is a trusted extension (PostgreSQL 13+).
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

CREATE INDEX IF NOT EXISTS "CustomerFigures_searchText_trgm_idx" ON "CustomerFigures" USING gin ("searchText" public.gin_trgm_ops);

-- Exact customer id and exact name, the first two ranks of a search.
CREATE INDEX IF NOT EXISTS "CustomerFigures_lower_customerId_idx" ON "CustomerFigures" (LOWER("customerId"));
CREATE INDEX IF NOT EXISTS "CustomerFigures_lower_name_idx" ON "CustomerFigures" (LOWER("name"));
