import { rawDate } from './bulk-rows';
import type { CrmPrisma } from './client';

/**
 * Writes that must be one statement (not Prisma's read-then-write upsert): two instances may
 * race for them, and on SQLite a read-then-write pair can deadlock with the other's write.
 */

export interface DigestRunClaim {
  periodKey: string;
  channel: string;
  holder: string;
  now: Date;
  leaseUntil: Date;
}

/**
 * Inserts the period's digest run for `holder`, or takes over a claim that expired unposted.
 * Returns who holds it now (null: posted, or held by someone else whose lease runs) and,
 * on a takeover, when the previous holder may have posted (look in the channel from then).
 */
export async function upsertDigestRunClaim(
  prisma: CrmPrisma,
  claim: DigestRunClaim,
): Promise<{ claimedBy: string; checkFrom: Date | null } | null> {
  const rows = await prisma.$queryRaw<{ claimedBy: string; checkFrom: unknown }[]>`
    INSERT INTO "DigestRun" ("periodKey", "channel", "claimedBy", "leaseUntil", "claimedAt", "createdAt")
    VALUES (${claim.periodKey}, ${claim.channel}, ${claim.holder}, ${claim.leaseUntil}, ${claim.now}, ${claim.now})
    ON CONFLICT ("periodKey") DO UPDATE
      SET "claimedBy" = excluded."claimedBy", "leaseUntil" = excluded."leaseUntil", "channel" = excluded."channel",
          "checkFrom" = COALESCE("DigestRun"."checkFrom", "DigestRun"."claimedAt"), "claimedAt" = excluded."claimedAt"
      WHERE "DigestRun"."postedAt" IS NULL AND "DigestRun"."leaseUntil" <= ${claim.now}
    RETURNING "claimedBy", "checkFrom"`;
  if (rows.length !== 1) return null;
  return { claimedBy: rows[0]!.claimedBy, checkFrom: rawDate(rows[0]!.checkFrom) };
}

/** Sets a Setting row's value, written by the app itself (no admin). */
export async function upsertSetting(prisma: CrmPrisma, key: string, value: string, at: Date): Promise<void> {
  await prisma.$executeRaw`
    INSERT INTO "Setting" ("key", "value", "updatedBy", "updatedAt")
    VALUES (${key}, ${value}, NULL, ${at})
    ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "updatedAt" = excluded."updatedAt"`;
}
