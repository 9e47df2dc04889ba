import { isRole, type Role } from '../common/roles';
import { Prisma } from '../generated/sqlite/client';
import { jsonRowsSelect, rawDate } from './bulk-rows';
import { type CrmPrisma, type Database, withProviderClient } from './client';
import { readRows } from './read-rows';

/**
 * What the app keeps of the people it serves: their roster role and what Slack's users.info
 * said of them (time zone, guest, deactivated), read to decide access and time zones. One
 * module from the listener's or job's call to the statement: the viewer of every Slack
 * request, the owners of a burst of follow-ups, the Admin section's head count.
 */

/** What the app keeps of a Slack user's profile (users.info), to decide access and time zones. */
export interface UserFacts {
  tz: string | null;
  isRestricted: boolean;
  isUltraRestricted: boolean;
  deleted: boolean;
  fetchedAt: Date;
}

/** A user's roster role and stored users.info facts. */
export interface MemberFacts {
  /** Null: not on the roster (or a stored role that is no longer one). */
  role: Role | null;
  /** Null: never fetched. */
  facts: UserFacts | null;
}

/** SQLite answers booleans in raw rows as 0/1 (number or bigint). */
const rawBool = (v: unknown): boolean => v === true || (v !== false && v !== null && Number(v) !== 0);

/**
 * The role and the stored profile facts in one query: every Slack request resolves its
 * viewer, and on SQLite's one connection each query is a turn the other requests wait behind.
 * Past Prisma's client (read-rows.ts): the client costs more than the query.
 */
export async function readMemberFacts(db: Pick<Database, 'rowReader'>, userId: string): Promise<MemberFacts> {
  const [row] = await readRows<{
    role: string | null;
    cachedId: string | null;
    tz: string | null;
    isRestricted: unknown;
    isUltraRestricted: unknown;
    deleted: unknown;
    fetchedAt: Date | string | null;
  }>(
    db,
    Prisma.sql`
    SELECT r."role", c."userId" AS "cachedId", c."tz", c."isRestricted", c."isUltraRestricted", c."deleted", c."fetchedAt"
    FROM (SELECT CAST(${userId} AS TEXT) AS "uid") AS q
    LEFT JOIN "RosterMember" AS r ON r."userId" = q."uid"
    LEFT JOIN "SlackUserCache" AS c ON c."userId" = q."uid"`,
  );
  const role = row?.role ?? null;
  const fetchedAt = row?.cachedId != null ? rawDate(row.fetchedAt) : null;
  return {
    role: role !== null && isRole(role) ? role : null,
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

function userFactsOf(row: UserFacts): UserFacts {
  return {
    tz: row.tz,
    isRestricted: row.isRestricted,
    isUltraRestricted: row.isUltraRestricted,
    deleted: row.deleted,
    fetchedAt: row.fetchedAt,
  };
}

/** The stored facts of a user, or null when never fetched. */
export async function readUserFacts(prisma: CrmPrisma, userId: string): Promise<UserFacts | null> {
  const row = await prisma.slackUserCache.findUnique({ where: { userId } });
  return row && userFactsOf(row);
}

export async function saveUserFacts(prisma: CrmPrisma, userId: string, facts: UserFacts): Promise<void> {
  await prisma.slackUserCache.upsert({ where: { userId }, create: { userId, ...facts }, update: facts });
}

/** The stored facts of many users at once (those never fetched are absent). */
export async function readUserFactsOf(prisma: CrmPrisma, userIds: string[]): Promise<Map<string, UserFacts>> {
  const rows = userIds.length ? await prisma.slackUserCache.findMany({ where: { userId: { in: userIds } } }) : [];
  return new Map(rows.map((r) => [r.userId, userFactsOf(r)]));
}

/**
 * Saves the facts of many users in one statement, the rows as one JSON parameter (a burst of
 * sends checks hundreds of owners).
 */
export async function saveUserFactsOf(
  db: Pick<Database, 'prisma' | 'provider'>,
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
  await db.prisma.$executeRaw`
    INSERT INTO "SlackUserCache" ("userId", "tz", "isRestricted", "isUltraRestricted", "deleted", "fetchedAt")
    ${jsonRowsSelect(db.provider, rows, ['text', 'text', 'bool', 'bool', 'bool', 'datetime'])}
    ON CONFLICT ("userId") DO UPDATE SET "tz" = excluded."tz", "isRestricted" = excluded."isRestricted",
      "isUltraRestricted" = excluded."isUltraRestricted", "deleted" = excluded."deleted", "fetchedAt" = excluded."fetchedAt"`;
}

/**
 * How many roster members hold each stored role. Prisma's `groupBy` is typed by each
 * generated client's own types, so the call is written once per provider.
 */
export async function countMembersByRole(prisma: CrmPrisma): Promise<Map<string, number>> {
  const groups = await withProviderClient(prisma, {
    sqlite: (c) => c.rosterMember.groupBy({ by: ['role'], _count: { _all: true } }),
    postgres: (c) => c.rosterMember.groupBy({ by: ['role'], _count: { _all: true } }),
  });
  return new Map(groups.map((g) => [g.role, g._count._all]));
}
