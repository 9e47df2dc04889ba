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
  try {
    await prisma.digestRun.create({
      data: { periodKey: claim.periodKey, channel: claim.channel, claimedBy: claim.holder, leaseUntil, createdAt: claim.now },
    });
    return true;
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'P2002') throw err;
  }
  // Taking over is one conditional UPDATE, so two instances cannot both win it.
  const taken = await prisma.digestRun.updateMany({
    where: { periodKey: claim.periodKey, postedAt: null, leaseUntil: { lte: claim.now } },
    data: { claimedBy: claim.holder, leaseUntil, channel: claim.channel },
  });
  return taken.count > 0;
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
