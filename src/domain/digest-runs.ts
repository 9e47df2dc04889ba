import type { CrmPrisma } from '../db/client';

/**
 * One DigestRun row per period keeps a digest single across app instances sharing one
 * database: the unique periodKey decides who inserts it, and a lease lets another instance
 * take over a claim whose holder died or whose post failed.
 */

/** How long a claimant may take to post before another instance may take over. */
export const DIGEST_CLAIM_LEASE_MS = 2 * 60 * 1000;
/** After a failed post, wait this long before trying again (while the period is still due). */
export const DIGEST_RETRY_AFTER_MS = 10 * 60 * 1000;

export interface DigestClaim {
  periodKey: string;
  channel: string;
  holder: string;
  now: Date;
  leaseMs?: number;
}

/** True when `holder` now owns the period's post; false when it is posted or someone else holds it. */
export async function claimDigestRun(prisma: CrmPrisma, claim: DigestClaim): Promise<boolean> {
  const leaseUntil = new Date(claim.now.getTime() + (claim.leaseMs ?? DIGEST_CLAIM_LEASE_MS));
  // One statement: insert the period's run, or take over a claim that expired unposted.
  // Two instances can never both win it, and there is no read-then-write for SQLite to deadlock on.
  const rows = await prisma.$queryRaw<{ claimedBy: string }[]>`
    INSERT INTO "DigestRun" ("periodKey", "channel", "claimedBy", "leaseUntil", "createdAt")
    VALUES (${claim.periodKey}, ${claim.channel}, ${claim.holder}, ${leaseUntil}, ${claim.now})
    ON CONFLICT ("periodKey") DO UPDATE
      SET "claimedBy" = excluded."claimedBy", "leaseUntil" = excluded."leaseUntil", "channel" = excluded."channel"
      WHERE "DigestRun"."postedAt" IS NULL AND "DigestRun"."leaseUntil" <= ${claim.now}
    RETURNING "claimedBy"`;
  return rows.length === 1 && rows[0]!.claimedBy === claim.holder;
}

export async function markDigestPosted(prisma: CrmPrisma, periodKey: string, holder: string, postedAt: Date, messageTs: string | null): Promise<void> {
  await prisma.digestRun.updateMany({ where: { periodKey, claimedBy: holder }, data: { postedAt, messageTs, error: null } });
}

/** Records the failure and holds the claim until the retry time. */
export async function markDigestFailed(prisma: CrmPrisma, periodKey: string, holder: string, error: string, now: Date): Promise<void> {
  await prisma.digestRun.updateMany({
    where: { periodKey, claimedBy: holder },
    data: { error: error.slice(0, 500), leaseUntil: new Date(now.getTime() + DIGEST_RETRY_AFTER_MS) },
  });
}
