import type { CrmPrisma } from '../db/client';

/** What the app keeps of a Slack user's profile (users.info), to decide access and time zones. */
export interface UserFacts {
  tz: string | null;
  isRestricted: boolean;
  isUltraRestricted: boolean;
  deleted: boolean;
  fetchedAt: Date;
}

/** The stored facts of a user, or null when never fetched. */
export async function readUserFacts(prisma: CrmPrisma, userId: string): Promise<UserFacts | null> {
  const row = await prisma.slackUserCache.findUnique({ where: { userId } });
  return row && { tz: row.tz, isRestricted: row.isRestricted, isUltraRestricted: row.isUltraRestricted, deleted: row.deleted, fetchedAt: row.fetchedAt };
}

export async function saveUserFacts(prisma: CrmPrisma, userId: string, facts: UserFacts): Promise<void> {
  await prisma.slackUserCache.upsert({ where: { userId }, create: { userId, ...facts }, update: facts });
}
