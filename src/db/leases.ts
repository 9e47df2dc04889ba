import type { CrmPrisma } from './client';

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
