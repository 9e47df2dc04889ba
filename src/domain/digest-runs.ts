import type { CrmPrisma } from '../db/client';
import { upsertDigestRunClaim } from '../db/single-statement-upserts';

/**
 * One DigestRun row per period keeps a digest single across app instances sharing one
 * database: the unique periodKey decides who inserts it, and a lease lets another instance
 * take over a claim whose holder died or whose post failed.
 *
 * A holder that may have posted without recording it (lost answer, crash, a recording
 * that kept failing) leaves the doubt behind: `claimedAt` stays set until the holder knows
 * its post failed, and a takeover turns it into `checkFrom`, from when the next holder
 * looks for the period's digest in the channel before posting.
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

export interface HeldDigestRun {
  /** Set when an earlier attempt may have posted: look for the digest in the channel from then. */
  checkFrom: Date | null;
}

/** The claim when `holder` now owns the period's post; null when it is posted or someone else holds it. */
export async function takeDigestRun(prisma: CrmPrisma, claim: DigestClaim): Promise<HeldDigestRun | null> {
  const leaseUntil = new Date(claim.now.getTime() + (claim.leaseMs ?? DIGEST_CLAIM_LEASE_MS));
  // One statement: two instances can never both win the period's post.
  const held = await upsertDigestRunClaim(prisma, { ...claim, leaseUntil });
  return held && held.claimedBy === claim.holder ? { checkFrom: held.checkFrom } : null;
}

/** True when `holder` now owns the period's post; false when it is posted or someone else holds it. */
export async function claimDigestRun(prisma: CrmPrisma, claim: DigestClaim): Promise<boolean> {
  return (await takeDigestRun(prisma, claim)) !== null;
}

export async function markDigestPosted(
  prisma: CrmPrisma,
  periodKey: string,
  holder: string,
  postedAt: Date,
  messageTs: string | null,
): Promise<void> {
  await prisma.digestRun.updateMany({
    where: { periodKey, claimedBy: holder },
    data: { postedAt, messageTs, error: null },
  });
}

export interface DigestFailure {
  /** When to try again (default: DIGEST_RETRY_AFTER_MS from now). */
  retryAt?: Date;
  /** When an attempt whose outcome is unknown began: the next holder looks in the channel first. */
  mayHavePosted?: Date | null;
  /** The check-from time the claim already carried. */
  checkFrom?: Date | null;
}

/** Records the failure and holds the claim until the retry time. */
export async function markDigestFailed(
  prisma: CrmPrisma,
  periodKey: string,
  holder: string,
  error: string,
  now: Date,
  failure: DigestFailure = {},
): Promise<void> {
  await prisma.digestRun.updateMany({
    where: { periodKey, claimedBy: holder },
    data: {
      error: error.slice(0, 500),
      leaseUntil: failure.retryAt ?? new Date(now.getTime() + DIGEST_RETRY_AFTER_MS),
      claimedAt: null,
      checkFrom: failure.checkFrom ?? failure.mayHavePosted ?? null,
    },
  });
}
