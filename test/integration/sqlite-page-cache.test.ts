import { PAGE_CACHE_KIB } from '../../src/db/sqlite-page-cache';
import { openTestDatabase } from '../support/databases';

// The app's secondary connections keep a small page cache, not better-sqlite3's 16 MB: with
// several connections to one file, those caches were tens of MB of the process's peak memory.
// Prisma's connection, which writes the sync's chunks, keeps the larger one.
describe('SQLite page cache per connection', () => {
  it('the raw reads’ connection keeps the app’s page cache size, Prisma’s a larger one', async () => {
    const h = await openTestDatabase('sqlite');
    try {
      const viaRawRead = (await h.db.sqliteRawRead!('PRAGMA cache_size', [])) as Array<{ cache_size: bigint }>;
      expect(Number(viaRawRead[0]!.cache_size)).toBe(-PAGE_CACHE_KIB);
      const viaPrisma = await h.db.prisma.$queryRawUnsafe<Array<{ cache_size: bigint | number }>>('PRAGMA cache_size');
      // Negative sizes are in KiB.
      expect(-Number(viaPrisma[0]!.cache_size)).toBeGreaterThan(PAGE_CACHE_KIB);
    } finally {
      await h.cleanup();
    }
  });
});
