import type BetterSqlite3 from 'better-sqlite3';

/**
 * How much of the SQLite file each of the app's other connections keeps in memory (its page
 * cache). better-sqlite3 builds SQLite with 16 MB per connection (SQLite's own default is
 * 2 MB), and the app opens several connections to one file: Prisma's, the raw reads', the side
 * writer's, the sync worker's compare and the bulk reads' thread. A sync or a Home open touches
 * most of a 50,000-customer file, so each cache filled up to its 16 MB and stayed so. Prisma's
 * connection, which writes the sync's chunks and answers most of Home, keeps the 16 MB; the
 * others keep this. A page that is not cached is read again from the operating system's file
 * cache (docs/benchmarks.md, "Memory with a margin").
 */
export const PAGE_CACHE_KIB = 4096;

/** The pragma that sets it (a negative cache_size is in KiB, a positive one in pages). */
export const PAGE_CACHE_PRAGMA = `cache_size = -${PAGE_CACHE_KIB}`;

/** Sets the page cache of a connection just opened (any but Prisma's). */
export function limitPageCache(connection: BetterSqlite3.Database): void {
  connection.pragma(PAGE_CACHE_PRAGMA);
}
