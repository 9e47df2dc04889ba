import { isRole, type Role } from '../common/roles';
import type { CrmPrisma, Database } from '../db/client';
import { selectMemberFacts, upsertUserFacts } from '../db/member-facts';

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
  return (
    row && {
      tz: row.tz,
      isRestricted: row.isRestricted,
      isUltraRestricted: row.isUltraRestricted,
      deleted: row.deleted,
      fetchedAt: row.fetchedAt,
    }
  );
}

/** A user's roster role and stored users.info facts. */
export interface MemberFacts {
  /** Null: not on the roster. */
  role: Role | null;
  /** Null: never fetched. */
  facts: UserFacts | null;
}

/** The role and the stored facts in one query (every Slack request resolves its viewer). */
export async function readMemberFacts(prisma: CrmPrisma, userId: string): Promise<MemberFacts> {
  const { role, facts } = await selectMemberFacts(prisma, userId);
  return { role: role !== null && isRole(role) ? role : null, facts };
}

export async function saveUserFacts(prisma: CrmPrisma, userId: string, facts: UserFacts): Promise<void> {
  await prisma.slackUserCache.upsert({ where: { userId }, create: { userId, ...facts }, update: facts });
}

/** The stored facts of many users at once (those never fetched are absent). */
export async function readUserFactsOf(prisma: CrmPrisma, userIds: string[]): Promise<Map<string, UserFacts>> {
  const rows = userIds.length ? await prisma.slackUserCache.findMany({ where: { userId: { in: userIds } } }) : [];
  return new Map(
    rows.map((r) => [
      r.userId,
      {
        tz: r.tz,
        isRestricted: r.isRestricted,
        isUltraRestricted: r.isUltraRestricted,
        deleted: r.deleted,
        fetchedAt: r.fetchedAt,
      },
    ]),
  );
}

/** Saves the facts of many users in one statement (a burst of sends checks hundreds of owners). */
export async function saveUserFactsOf(db: Database, facts: ReadonlyMap<string, UserFacts>): Promise<void> {
  if (facts.size === 0) return;
  await upsertUserFacts(
    db,
    [...facts].map(([userId, f]) => [userId, f.tz, f.isRestricted, f.isUltraRestricted, f.deleted, f.fetchedAt]),
  );
}
