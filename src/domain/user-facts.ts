import { isRole, type Role } from '../common/roles';
import { jsonRowsSelect, rawDate } from '../db/bulk-rows';
import type { CrmPrisma, DbProvider } from '../db/client';

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

/** Reads from raw rows: SQLite answers booleans as 0/1 (number or bigint). */
const rawBool = (v: unknown): boolean => v === true || (v !== false && v !== null && Number(v) !== 0);

/**
 * The role and the stored facts in one query: every Slack request resolves its viewer, and
 * on SQLite's one connection each query is a turn the other requests wait behind.
 */
export async function readMemberFacts(prisma: CrmPrisma, userId: string): Promise<MemberFacts> {
  const [row] = await prisma.$queryRaw<
    {
      role: string | null;
      cachedId: string | null;
      tz: string | null;
      isRestricted: unknown;
      isUltraRestricted: unknown;
      deleted: unknown;
      fetchedAt: Date | string | null;
    }[]
  >`
    SELECT r."role", c."userId" AS "cachedId", c."tz", c."isRestricted", c."isUltraRestricted", c."deleted", c."fetchedAt"
    FROM (SELECT CAST(${userId} AS TEXT) AS "uid") AS q
    LEFT JOIN "RosterMember" AS r ON r."userId" = q."uid"
    LEFT JOIN "SlackUserCache" AS c ON c."userId" = q."uid"`;
  const role = row?.role != null && isRole(row.role) ? row.role : null;
  const fetchedAt = row?.cachedId != null ? rawDate(row.fetchedAt) : null;
  return {
    role,
    facts:
      row && fetchedAt
        ? {
            tz: row.tz,
            isRestricted: rawBool(row.isRestricted),
            isUltraRestricted: rawBool(row.isUltraRestricted),
            deleted: rawBool(row.deleted),
            fetchedAt,
          }
        : null,
  };
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
export async function saveUserFactsOf(
  prisma: CrmPrisma,
  provider: DbProvider,
  facts: ReadonlyMap<string, UserFacts>,
): Promise<void> {
  if (facts.size === 0) return;
  const rows = [...facts].map(([userId, f]) => [
    userId,
    f.tz,
    f.isRestricted,
    f.isUltraRestricted,
    f.deleted,
    f.fetchedAt,
  ]);
  await prisma.$executeRaw`
    INSERT INTO "SlackUserCache" ("userId", "tz", "isRestricted", "isUltraRestricted", "deleted", "fetchedAt")
    ${jsonRowsSelect(provider, rows, ['text', 'text', 'bool', 'bool', 'bool', 'datetime'])}
    ON CONFLICT ("userId") DO UPDATE SET "tz" = excluded."tz", "isRestricted" = excluded."isRestricted",
      "isUltraRestricted" = excluded."isUltraRestricted", "deleted" = excluded."deleted", "fetchedAt" = excluded."fetchedAt"`;
}
