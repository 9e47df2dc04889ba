import { jsonRowsSelect, rawDate } from './bulk-rows';
import { type CrmPrisma, type Database, withProviderClient } from './client';

/** A user's roster role (as stored) and cached Slack profile facts (null: never fetched). */
export interface MemberFactsRow {
  role: string | null;
  facts: {
    tz: string | null;
    isRestricted: boolean;
    isUltraRestricted: boolean;
    deleted: boolean;
    fetchedAt: Date;
  } | null;
}

/** SQLite answers booleans in raw rows as 0/1 (number or bigint). */
const rawBool = (v: unknown): boolean => v === true || (v !== false && v !== null && Number(v) !== 0);

/**
 * The role and the stored profile facts in one query: every Slack request resolves its
 * viewer, and on SQLite's one connection each query is a turn the other requests wait behind.
 */
export async function selectMemberFacts(prisma: CrmPrisma, userId: string): Promise<MemberFactsRow> {
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
  const fetchedAt = row?.cachedId != null ? rawDate(row.fetchedAt) : null;
  return {
    role: row?.role ?? null,
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

export type UserFactsRow = [
  userId: string,
  tz: string | null,
  isRestricted: boolean,
  isUltraRestricted: boolean,
  deleted: boolean,
  fetchedAt: Date,
];

/** Saves the profile facts of many users in one statement, the rows as one JSON parameter. */
export async function upsertUserFacts(db: Pick<Database, 'prisma' | 'provider'>, rows: UserFactsRow[]): Promise<void> {
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
