import { Prisma } from '../../generated/sqlite/client';

/** LIKE pattern text with the wildcards escaped (ESCAPE '\'). */
function likePattern(needle: string): string {
  return `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** PostgreSQL: the pg_trgm index on CustomerFigures.searchText serves LIKE. */
export const postgresSearch = {
  pos: Prisma.raw('strpos'),
  indexedProbe: (needle: string, cap: number) =>
    Prisma.sql`SELECT COUNT(*) AS n FROM (SELECT 1 FROM "CustomerFigures" c WHERE c."searchText" LIKE ${likePattern(needle)} ESCAPE '\\' LIMIT ${cap}) p`,
  indexedFrom: (needle: string) =>
    Prisma.sql`"CustomerFigures" c JOIN "Lead" l ON l."customerId" = c."customerId" WHERE c."searchText" LIKE ${likePattern(needle)} ESCAPE '\\'`,
};
