import { Prisma } from '../generated/sqlite/client';
import { rawDate } from './bulk-rows';
import type { CrmPrisma } from './client';

/**
 * The queries behind "who to call today" (domain/today.ts). The same SQL runs on SQLite and
 * PostgreSQL: window functions, integer arithmetic on epoch milliseconds (rhythm.ts) and
 * integer division for the half-up usual order value of positive amounts. Each returns at
 * most `perOwner` rows for each owner (unowned leads count as one owner, ''), each row with
 * its owner's count and total, so a Home tab for 50,000 customers reads a few dozen rows.
 */

/** Whose leads: one person's (and, when they may take them, the unowned ones), the unowned ones, everyone's, or one lead. */
export type TodayScope =
  | { ownerId: string; withUnowned: boolean }
  | { unowned: true }
  | { team: true }
  | { leadId: number };

function scopeSql(scope: TodayScope): Prisma.Sql {
  if ('team' in scope) return Prisma.sql`TRUE`;
  if ('unowned' in scope) return Prisma.sql`l."ownerId" IS NULL`;
  if ('leadId' in scope) return Prisma.sql`l."id" = ${scope.leadId}`;
  return scope.withUnowned
    ? Prisma.sql`(l."ownerId" = ${scope.ownerId} OR l."ownerId" IS NULL)`
    : Prisma.sql`l."ownerId" = ${scope.ownerId}`;
}

/** Usual order value in cents, half-up; only ever computed for positive lifetimes (integer division agrees then). */
const USUAL_VALUE = Prisma.raw(`((c."lifetimeUsdCents" * 2 + c."orderCount") / (2 * c."orderCount"))`);
const OWNER_KEY = Prisma.raw(`COALESCE(l."ownerId", '')`);

export interface RankedRow {
  leadId: number;
  ownerId: string | null;
  stage: string;
  customerId: string;
  name: string;
  company: string | null;
  lifetimeUsdCents: bigint;
  orderCount: number;
  unknownCurrencies: string;
  lastOrderAt: Date | null;
  rhythmIntervalMs: bigint | null;
  rhythmNextMs: bigint | null;
  /** Rows of this owner in all (not only those returned). */
  ownerCount: number;
  /** This owner's total of the ranking value (value at risk, lifetime USD). */
  ownerValue: bigint;
}

interface RawRanked {
  leadId: number | bigint;
  ownerId: string | null;
  stage: string;
  customerId: string;
  name: string;
  company: string | null;
  lifetimeUsdCents: bigint | number | string;
  orderCount: number | bigint;
  unknownCurrencies: string;
  lastOrderAt: Date | string | null;
  rhythmIntervalMs: bigint | number | string | null;
  rhythmNextMs: bigint | number | string | null;
  ownerCount: number | bigint;
  ownerValue: bigint | number | string | { toString(): string } | null;
}

const big = (v: bigint | number | string | null) => (v === null ? null : BigInt(v));

function toRanked(r: RawRanked): RankedRow {
  return {
    leadId: Number(r.leadId),
    ownerId: r.ownerId,
    stage: r.stage,
    customerId: r.customerId,
    name: r.name,
    company: r.company,
    lifetimeUsdCents: BigInt(r.lifetimeUsdCents),
    orderCount: Number(r.orderCount),
    unknownCurrencies: r.unknownCurrencies,
    lastOrderAt: rawDate(r.lastOrderAt),
    rhythmIntervalMs: big(r.rhythmIntervalMs),
    rhythmNextMs: big(r.rhythmNextMs),
    ownerCount: Number(r.ownerCount),
    // PostgreSQL sums bigints as numeric (a Decimal here): whole numbers, read through their text.
    ownerValue: r.ownerValue === null ? 0n : BigInt(String(r.ownerValue).replace(/\.0*$/, '')),
  };
}

const ROW_COLUMNS = Prisma.raw(`l."id" AS "leadId", l."ownerId", l."stage", c."customerId", c."name", c."company",
  c."lifetimeUsdCents", c."orderCount", c."unknownCurrencies", c."lastOrderAt", c."rhythmIntervalMs", c."rhythmNextMs"`);

/**
 * How the customers and their leads are joined (the overdue accounts). `leads`: from the
 * scope's leads (one lead, by its id). `customers`: from the customers the list's own condition
 * narrows by an index of CustomerFigures (a range of rhythmNextMs), each joined to its lead:
 * for the unowned leads (most of a book) or the whole team, and wherever that range is narrower
 * than any owner's leads. SQLite joins a CROSS JOIN in the order written (else it picks the
 * owner index, an equality, over the range: 42,857 unowned leads read instead of 6,000 recent
 * orderers at 50,000 customers); PostgreSQL plans either form alike.
 */
type DriveFrom = 'leads' | 'customers';

const FROM: Record<DriveFrom, Prisma.Sql> = {
  leads: Prisma.sql`"CustomerFigures" c JOIN "Lead" l ON l."customerId" = c."customerId"`,
  customers: Prisma.sql`"CustomerFigures" c CROSS JOIN "Lead" l`,
};
/** The lists everyone shares (the unowned leads', the team's), as against one person's or one lead's. */
const sharedScope = (scope: TodayScope): boolean => 'team' in scope || 'unowned' in scope;

const JOINED: Record<DriveFrom, Prisma.Sql> = {
  leads: Prisma.sql`TRUE`,
  customers: Prisma.sql`l."customerId" = c."customerId"`,
};

/**
 * The top `perOwner` matching leads of each owner by `value` (ties by lead id), each with its
 * owner's count and total. The window functions rank narrow rows (lead id, owner, value): only
 * the rows kept are joined again for the columns a list shows, so the sort over every matching
 * lead carries three values, not the names and figures of each. (CROSS JOIN: SQLite joins in
 * the order written, from the ranked rows; PostgreSQL plans it as the inner join it is.)
 */
async function ranked<R extends RawRanked = RawRanked>(
  prisma: CrmPrisma,
  matching: { from: Prisma.Sql; where: Prisma.Sql; value: Prisma.Sql; extra?: Prisma.Sql },
  perOwner: number,
): Promise<R[]> {
  return prisma.$queryRaw<R[]>`
    SELECT ${ROW_COLUMNS}${matching.extra ?? Prisma.empty}, r."ownerCount", r."ownerValue" FROM (
      SELECT l."id" AS "rankedId",
        ROW_NUMBER() OVER (PARTITION BY ${OWNER_KEY} ORDER BY ${matching.value} DESC, l."id") AS "rank",
        COUNT(*) OVER (PARTITION BY ${OWNER_KEY}) AS "ownerCount",
        SUM(${matching.value}) OVER (PARTITION BY ${OWNER_KEY}) AS "ownerValue"
      FROM ${matching.from}
      WHERE ${matching.where}
    ) r
    CROSS JOIN "Lead" l CROSS JOIN "CustomerFigures" c
    WHERE r."rank" <= ${perOwner} AND l."id" = r."rankedId" AND c."customerId" = l."customerId"
    ORDER BY r."ownerValue" DESC, l."ownerId", r."rank"`;
}

/** ranked() for a list driven from the scope's leads or from the customers (see DriveFrom). */
async function rankedFrom(
  prisma: CrmPrisma,
  where: Prisma.Sql,
  value: Prisma.Sql,
  perOwner: number,
  from: DriveFrom,
): Promise<RankedRow[]> {
  const rows = await ranked(
    prisma,
    { from: FROM[from], where: Prisma.sql`${JOINED[from]} AND ${where}`, value },
    perOwner,
  );
  return rows.map(toRanked);
}

/**
 * Accounts (not churned) whose last order + `factorPermille`/1000 intervals lies before
 * `startOfTodayMs`, by value at risk (usual order value). The index on rhythmNextMs narrows
 * to customers already past their expected order (every factor is at least one interval):
 * the query starts there for every scope but one lead (see DriveFrom).
 */
export function lapsedAccounts(
  prisma: CrmPrisma,
  scope: TodayScope,
  q: { startOfTodayMs: bigint; factorPermille: bigint; perOwner: number },
): Promise<RankedRow[]> {
  const where = Prisma.sql`c."rhythmNextMs" < ${q.startOfTodayMs}
    AND c."rhythmNextMs" * 1000 + ${q.factorPermille - 1000n} * c."rhythmIntervalMs" < ${q.startOfTodayMs * 1000n}
    AND c."lifetimeUsdCents" > 0 AND l."stage" <> 'churned' AND ${scopeSql(scope)}`;
  // Customers past their expected order are a narrow range of the rhythm index, whoever owns
  // them; one lead is read by its id.
  return rankedFrom(prisma, where, USUAL_VALUE, q.perOwner, 'leadId' in scope ? 'leads' : 'customers');
}

/**
 * Leads with an order since `since` and no human touch ever, by lifetime USD. Read from the
 * lead's own copies of its last order and USD (lead-figures.ts): a range of its (lastTouchAt,
 * lastOrderAt, ownerId, lifetimeUsdCents) index, no customer row read but the ones shown.
 */
export async function uncontactedSince(
  prisma: CrmPrisma,
  scope: TodayScope,
  q: { since: Date; perOwner: number },
): Promise<RankedRow[]> {
  const where = Prisma.sql`l."lastTouchAt" IS NULL AND l."lastOrderAt" >= ${q.since} AND ${scopeSql(scope)}`;
  const rows = await ranked(
    prisma,
    { from: Prisma.sql`"Lead" l`, where, value: Prisma.raw(`l."lifetimeUsdCents"`) },
    q.perOwner,
  );
  return rows.map(toRanked);
}

export interface DueFollowUpRow {
  alertId: number;
  leadId: number;
  ownerId: string;
  message: string;
  nextDueAt: Date;
  timeZone: string;
  name: string;
  company: string | null;
  ownerCount: number;
}

/** Active follow-ups due before `before` (the end of the reader's today), earliest first, per owner. */
export async function dueFollowUps(
  prisma: CrmPrisma,
  scope: TodayScope,
  q: { before: Date; perOwner: number },
): Promise<DueFollowUpRow[]> {
  const who =
    'team' in scope
      ? Prisma.sql`TRUE`
      : 'unowned' in scope
        ? Prisma.sql`FALSE`
        : 'leadId' in scope
          ? Prisma.sql`f."leadId" = ${scope.leadId}`
          : Prisma.sql`f."ownerId" = ${scope.ownerId}`;
  const rows = await prisma.$queryRaw<
    {
      alertId: number | bigint;
      leadId: number | bigint;
      ownerId: string;
      message: string;
      nextDueAt: Date | string;
      timeZone: string;
      name: string;
      company: string | null;
      ownerCount: number | bigint;
    }[]
  >`
    SELECT * FROM (
      SELECT f."id" AS "alertId", f."leadId", f."ownerId", f."message", f."nextDueAt", f."timeZone", c."name", c."company",
        ROW_NUMBER() OVER (PARTITION BY f."ownerId" ORDER BY f."nextDueAt", f."id") AS "rank",
        COUNT(*) OVER (PARTITION BY f."ownerId") AS "ownerCount"
      FROM "FollowUpAlert" f JOIN "Lead" l ON l."id" = f."leadId" JOIN "CustomerFigures" c ON c."customerId" = l."customerId"
      WHERE f."active" = TRUE AND f."nextDueAt" < ${q.before} AND ${who}
    ) r
    WHERE r."rank" <= ${q.perOwner}
    ORDER BY r."ownerCount" DESC, r."ownerId", r."rank"`;
  return rows.map((r) => ({
    alertId: Number(r.alertId),
    leadId: Number(r.leadId),
    ownerId: r.ownerId,
    message: r.message,
    nextDueAt: rawDate(r.nextDueAt)!,
    timeZone: r.timeZone,
    name: r.name,
    company: r.company,
    ownerCount: Number(r.ownerCount),
  }));
}

/**
 * Leads whose facts call for a stage change, with the kind of suggestion, unless someone
 * dismissed that suggestion while the facts (the order count) were the same:
 * - trial_order with 2+ orders and an order since it entered the stage: `repeat_order`;
 * - active_account at risk (its rhythm past the at-risk factor): `at_risk`;
 * - churned with an order since it entered the stage: `ordered_again`.
 * "Entered the stage" is its latest stage change (or its creation).
 */
export async function stageSuggestionRows(
  prisma: CrmPrisma,
  scope: TodayScope,
  q: { startOfTodayMs: bigint; atRiskPermille: bigint; perOwner: number },
): Promise<(RankedRow & { kind: string })[]> {
  const stageSince = Prisma.sql`COALESCE((SELECT MAX(a."createdAt") FROM "Activity" a WHERE a."leadId" = l."id" AND a."kind" = 'stage_change'), l."createdAt")`;
  const kind = Prisma.sql`CASE l."stage" WHEN 'trial_order' THEN 'repeat_order' WHEN 'active_account' THEN 'at_risk' ELSE 'ordered_again' END`;
  // First, on the lead alone (its stage, and its copy of the last order), whether it could be a
  // suggestion at all: a customer row is read and the stage's entry looked up again only for
  // the leads that pass.
  const where = Prisma.sql`c."customerId" = l."customerId" AND ${scopeSql(scope)}
    AND (l."stage" = 'active_account' OR (l."stage" IN ('trial_order', 'churned') AND l."lastOrderAt" > ${stageSince}))
    AND (
      (l."stage" = 'trial_order' AND c."orderCount" >= 2 AND c."lastOrderAt" > ${stageSince})
      OR (l."stage" = 'active_account' AND c."rhythmNextMs" < ${q.startOfTodayMs}
          AND c."rhythmNextMs" * 1000 + ${q.atRiskPermille - 1000n} * c."rhythmIntervalMs" < ${q.startOfTodayMs * 1000n})
      OR (l."stage" = 'churned' AND c."lastOrderAt" > ${stageSince}))
    AND NOT EXISTS (SELECT 1 FROM "SuggestionDismissal" d
      WHERE d."leadId" = l."id" AND d."kind" = ${kind} AND d."facts" = CAST(c."orderCount" AS TEXT))`;
  // The shared lists (unowned, team) read every customer in table order, each with its lead: at
  // 200,000 customers several times faster than reading a stage's leads from an index, in the
  // order of their USD, whose rows (and activities) lie anywhere in the file. One person's
  // leads and one lead are read by their own index (SQLite joins a CROSS JOIN as written).
  const from = sharedScope(scope)
    ? Prisma.sql`"CustomerFigures" c CROSS JOIN "Lead" l`
    : Prisma.sql`"Lead" l CROSS JOIN "CustomerFigures" c`;
  const rows = await ranked<RawRanked & { kind: string }>(
    prisma,
    { from, where, value: Prisma.raw(`c."lifetimeUsdCents"`), extra: Prisma.sql`, ${kind} AS "kind"` },
    q.perOwner,
  );
  return rows.map((r) => ({ ...toRanked(r), kind: r.kind }));
}
