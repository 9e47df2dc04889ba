import type { CrmPrisma } from './client';
import { type SideWritesDb, sideWritesOf } from './side-writes';

/**
 * Named leases in the CRM database keep a job single across app instances: only the
 * holder of an unexpired lease runs it. Taking one is a single atomic upsert, the same
 * SQL on SQLite and PostgreSQL.
 */
export async function tryAcquireLease(
  prisma: CrmPrisma,
  name: string,
  holder: string,
  ttlMs: number,
  now: Date,
): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  const changed = await prisma.$executeRaw`
    INSERT INTO "JobLease" ("name", "holder", "expiresAt", "updatedAt")
    VALUES (${name}, ${holder}, ${expiresAt}, ${now})
    ON CONFLICT ("name") DO UPDATE
      SET "holder" = excluded."holder", "expiresAt" = excluded."expiresAt", "updatedAt" = excluded."updatedAt"
      WHERE "JobLease"."expiresAt" <= ${now} OR "JobLease"."holder" = ${holder}`;
  return changed > 0;
}

/** Gives the lease up early (only if still held by `holder`). */
export async function releaseLease(prisma: CrmPrisma, name: string, holder: string): Promise<void> {
  await prisma.jobLease.deleteMany({ where: { name, holder } });
}

/**
 * tryAcquireLease on the side connection (db/side-writes.ts): for a lease taken often (the
 * lead sync's, by every Home open with a sync due), so that taking it is not a change of the
 * CRM data that Home readers share.
 */
export async function tryAcquireLeaseAside(
  db: SideWritesDb,
  name: string,
  holder: string,
  ttlMs: number,
  now: Date,
): Promise<boolean> {
  const side = sideWritesOf(db);
  const p = side.param;
  const changed = await side.run(
    `INSERT INTO "JobLease" ("name", "holder", "expiresAt", "updatedAt") VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)})
     ON CONFLICT ("name") DO UPDATE
       SET "holder" = excluded."holder", "expiresAt" = excluded."expiresAt", "updatedAt" = excluded."updatedAt"
       WHERE "JobLease"."expiresAt" <= ${p(5)} OR "JobLease"."holder" = ${p(6)}`,
    [name, holder, side.date(new Date(now.getTime() + ttlMs)), side.date(now), side.date(now), holder],
  );
  return changed > 0;
}

/** releaseLease on the side connection (see tryAcquireLeaseAside). */
export async function releaseLeaseAside(db: SideWritesDb, name: string, holder: string): Promise<void> {
  const side = sideWritesOf(db);
  await side.run(`DELETE FROM "JobLease" WHERE "name" = ${side.param(1)} AND "holder" = ${side.param(2)}`, [
    name,
    holder,
  ]);
}
