import { Prisma } from '../../generated/sqlite/client';

/** GLOB pattern text with its wildcards made literal (`[*]`): the FTS5 trigram index serves GLOB, not LIKE … ESCAPE. */
function globPattern(needle: string): string {
  return `*${needle.replace(/[*?[]/g, (c) => `[${c}]`)}*`;
}

/** SQLite: the FTS5 trigram table CustomerSearch (rowid = CustomerFigures.rowid) serves the search. */
export const sqliteSearch = {
  pos: Prisma.raw('instr'),
  indexedProbe: (needle: string, cap: number) =>
    Prisma.sql`SELECT COUNT(*) AS n FROM (SELECT 1 FROM "CustomerSearch" s WHERE s."searchText" GLOB ${globPattern(needle)} LIMIT ${cap}) p`,
  // CROSS JOIN keeps the FTS table first (SQLite's own plan may start from Lead).
  indexedFrom: (needle: string) =>
    Prisma.sql`"CustomerSearch" s CROSS JOIN "CustomerFigures" c CROSS JOIN "Lead" l WHERE s."searchText" GLOB ${globPattern(needle)} AND c.rowid = s.rowid`,
};
