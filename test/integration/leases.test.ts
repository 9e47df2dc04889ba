import { releaseLease, releaseLeaseAside, tryAcquireLease, tryAcquireLeaseAside } from '../../src/db/leases';
import { openTestDatabase, type Provider } from '../support/databases';

describe.each<Provider>(['sqlite', 'postgres'])('job leases on %s', (provider) => {
  it('lets one holder at a time run a job until the lease expires', async () => {
    const { db, cleanup } = await openTestDatabase(provider);
    try {
      const t0 = new Date('2026-11-25T10:00:00Z');
      const at = (ms: number) => new Date(t0.getTime() + ms);
      expect(await tryAcquireLease(db.prisma, 'sync', 'a', 60_000, t0)).toBe(true);
      expect(await tryAcquireLease(db.prisma, 'sync', 'b', 60_000, at(1_000))).toBe(false);
      expect(await tryAcquireLease(db.prisma, 'sync', 'a', 60_000, at(1_000))).toBe(true);
      expect(await tryAcquireLease(db.prisma, 'sync', 'b', 60_000, at(59_000))).toBe(false);
      expect(await tryAcquireLease(db.prisma, 'sync', 'b', 60_000, at(61_001))).toBe(true);
      await releaseLease(db.prisma, 'sync', 'b');
      expect(await tryAcquireLease(db.prisma, 'sync', 'c', 60_000, at(61_002))).toBe(true);
    } finally {
      await cleanup();
    }
  });

  it('holds the same way when taken on the side connection, and a lease taken there keeps Prisma-side takers out', async () => {
    const { db, cleanup } = await openTestDatabase(provider);
    try {
      const t0 = new Date('2026-11-25T10:00:00Z');
      const at = (ms: number) => new Date(t0.getTime() + ms);
      expect(await tryAcquireLeaseAside(db, 'lead_sync', 'a', 60_000, t0)).toBe(true);
      expect(await tryAcquireLeaseAside(db, 'lead_sync', 'b', 60_000, at(1_000))).toBe(false);
      expect(await tryAcquireLease(db.prisma, 'lead_sync', 'b', 60_000, at(59_000))).toBe(false);
      expect(await tryAcquireLeaseAside(db, 'lead_sync', 'a', 60_000, at(1_000))).toBe(true);
      expect(await tryAcquireLeaseAside(db, 'lead_sync', 'b', 60_000, at(61_001))).toBe(true);
      await releaseLeaseAside(db, 'lead_sync', 'b');
      expect(await tryAcquireLease(db.prisma, 'lead_sync', 'c', 60_000, at(61_002))).toBe(true);
    } finally {
      await cleanup();
    }
  });

  it('grants a contested lease to exactly one of many concurrent takers', async () => {
    const { db, cleanup } = await openTestDatabase(provider);
    try {
      const now = new Date('2026-11-25T10:00:00Z');
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => tryAcquireLease(db.prisma, 'digest', `h${i}`, 60_000, now)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    } finally {
      await cleanup();
    }
  });
});
