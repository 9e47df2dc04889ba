import { Prisma } from '../../generated/sqlite/client';
import { type CrmPrisma, type DbProvider, providerOfClient } from '../client';
import { postgresSearch } from './postgres-search';
import { sqliteSearch } from './sqlite-search';

/**
 * Lead search's SQL: the same statements on both providers, around the few pieces each
 * provider's index needs in its own form (SearchDialect). Matches are ranked in SQL: 0 exact
 * customer id, 1 exact name, 2 a word starting with the text, 3 the text anywhere; ties by
 * lifetime USD, biggest first, then the oldest lead.
 */

/** What differs between the providers' search SQL. */
export interface SearchDialect {
  /** The substring-position function. */
  pos: Prisma.Sql;
  /** How many customers the index finds for the needle, counting at most `cap`. */
  indexedProbe(needle: string, cap: number): Prisma.Sql;
  /** FROM … WHERE for matches through the index, with `c` (CustomerFigures) and `l` (Lead) in scope. */
  indexedFrom(needle: string): Prisma.Sql;
}

const DIALECTS: Record<DbProvider, SearchDialect> = { sqlite: sqliteSearch, postgres: postgresSearch };

/** One ranked match, as plain values. */
export interface SearchMatch {
  leadId: number;
  customerId: string;
  name: string;
  company: string | null;
  stage: string;
  ownerId: string | null;
  lifetimeUsdCents: bigint;
  rank: number;
}

interface MatchRow {
  id: number | bigint;
  customerId: string;
  stage: string;
  ownerId: string | null;
  name: string;
  company: string | null;
  lifetimeUsdCents: bigint | number | string;
  rank: number | bigint;
}

function toMatch(r: MatchRow): SearchMatch {
  return {
    leadId: Number(r.id),
    customerId: r.customerId,
    name: r.name,
    company: r.company,
    stage: r.stage,
    ownerId: r.ownerId,
    lifetimeUsdCents: BigInt(r.lifetimeUsdCents),
    rank: Number(r.rank),
  };
}

const PREFIX_RANK = 2;

function rankSql(d: SearchDialect, needle: string): Prisma.Sql {
  return Prisma.sql`CASE
    WHEN LOWER(c."customerId") = ${needle} THEN 0
    WHEN LOWER(c."name") = ${needle} THEN 1
    WHEN ${d.pos}(c."searchText", ${needle}) = 1 OR ${d.pos}(c."searchText", ${` ${needle}`}) > 0 THEN ${PREFIX_RANK}
    ELSE 3
  END`;
}

/** Plain substring test for a scan (no index to serve). */
function scanContainsSql(d: SearchDialect, needle: string): Prisma.Sql {
  return Prisma.sql`${d.pos}(c."searchText", ${needle}) > 0`;
}

const MATCH_COLUMNS =
  Prisma.raw(`l."id" AS "id", l."customerId" AS "customerId", l."stage" AS "stage", l."ownerId" AS "ownerId",
  c."name" AS "name", c."company" AS "company", c."lifetimeUsdCents" AS "lifetimeUsdCents"`);

const RANK_ORDER = Prisma.raw(`ORDER BY "rank" ASC, "lifetimeUsdCents" DESC, "id" ASC`);

/**
 * Matches through the index when it finds at most `maxMatches` (a bounded probe tells), all
 * ranked in SQL, with their count; null when the needle is too common for the index.
 * `prisma` must be a client from openDatabase (not a transaction's).
 */
export async function rankedThroughIndex(
  prisma: CrmPrisma,
  needle: string,
  limit: number,
  maxMatches: number,
): Promise<{ matches: SearchMatch[]; total: number } | null> {
  const d = DIALECTS[providerOfClient(prisma)];
  const [counted] = await prisma.$queryRaw<{ n: number | bigint }[]>(d.indexedProbe(needle, maxMatches + 1));
  if (Number(counted?.n ?? 0) > maxMatches) return null;
  const rows = await prisma.$queryRaw<(MatchRow & { total: number | bigint })[]>`
    SELECT * FROM (
      SELECT ${MATCH_COLUMNS}, ${rankSql(d, needle)} AS "rank", COUNT(*) OVER () AS "total"
      FROM ${d.indexedFrom(needle)} AND l."customerId" = c."customerId"
    ) m ${RANK_ORDER} LIMIT ${limit}`;
  return { matches: rows.map(toMatch), total: Number(rows[0]?.total ?? 0) };
}

/**
 * The best matches of a needle that matches a large share of customers. Exact id or name
 * come from their own indexes; the rest are looked for among the `window` richest customers
 * (a range of the lifetime-USD index). When the window yields `limit` matches whose worst
 * is a word-prefix match, no customer outside it can rank higher (it would need a better
 * rank, or the same rank and more USD), so the answer is exact; otherwise (a text that
 * starts no word among the richest) the whole table is ranked.
 */
export async function rankedInWindow(
  prisma: CrmPrisma,
  needle: string,
  limit: number,
  window: number,
): Promise<SearchMatch[]> {
  const d = DIALECTS[providerOfClient(prisma)];
  const rank = rankSql(d, needle);
  const exact = await prisma.$queryRaw<MatchRow[]>`
    SELECT * FROM (
      SELECT ${MATCH_COLUMNS}, ${rank} AS "rank"
      FROM "CustomerFigures" c JOIN "Lead" l ON l."customerId" = c."customerId"
      WHERE LOWER(c."customerId") = ${needle} OR LOWER(c."name") = ${needle}
    ) m ${RANK_ORDER} LIMIT ${limit}`;
  const need = limit - exact.length;
  if (need <= 0) return exact.map(toMatch);
  const rest = (range: Prisma.Sql) => prisma.$queryRaw<MatchRow[]>`
    SELECT * FROM (
      SELECT ${MATCH_COLUMNS}, ${rank} AS "rank"
      FROM "CustomerFigures" c JOIN "Lead" l ON l."customerId" = c."customerId"
      WHERE ${scanContainsSql(d, needle)} ${range}
    ) m WHERE "rank" >= ${PREFIX_RANK} ${RANK_ORDER} LIMIT ${need}`;
  const [edge] = await prisma.$queryRaw<{ cents: bigint | number | string }[]>`
    SELECT "lifetimeUsdCents" AS "cents" FROM "CustomerFigures" ORDER BY "lifetimeUsdCents" DESC LIMIT 1 OFFSET ${window - 1}`;
  let rows: MatchRow[] | null = null;
  if (edge) {
    const inWindow = await rest(Prisma.sql`AND c."lifetimeUsdCents" >= ${BigInt(edge.cents)}`);
    if (inWindow.length === need && Number(inWindow[need - 1]!.rank) === PREFIX_RANK) rows = inWindow;
  }
  rows ??= await rest(Prisma.empty);
  return [...exact, ...rows].map(toMatch);
}

/** How many leads' text contains the needle, by a scan. */
export async function countScanMatches(prisma: CrmPrisma, needle: string): Promise<number> {
  const d = DIALECTS[providerOfClient(prisma)];
  const [counted] = await prisma.$queryRaw<{ n: number | bigint }[]>`
    SELECT COUNT(*) AS n FROM "CustomerFigures" c JOIN "Lead" l ON l."customerId" = c."customerId" WHERE ${scanContainsSql(d, needle)}`;
  return Number(counted?.n ?? 0);
}

/**
 * For each needle that is a customer id (lower-cased) or a name: how many leads it names
 * and the first one. One query for the caller's few candidate texts (never a data-sized list).
 */
export async function exactKeyMatches(
  prisma: CrmPrisma,
  needles: readonly string[],
): Promise<{ byId: Map<string, number>; byName: Map<string, { count: number; leadId: number }> }> {
  const list = Prisma.join(needles);
  const rows = await prisma.$queryRaw<
    { rank: number | bigint; key: string; n: number | bigint; id: number | bigint }[]
  >`
    SELECT 0 AS "rank", LOWER(c."customerId") AS "key", COUNT(*) AS "n", MIN(l."id") AS "id"
    FROM "CustomerFigures" c JOIN "Lead" l ON l."customerId" = c."customerId"
    WHERE LOWER(c."customerId") IN (${list}) GROUP BY LOWER(c."customerId")
    UNION ALL
    SELECT 1 AS "rank", LOWER(c."name") AS "key", COUNT(*) AS "n", MIN(l."id") AS "id"
    FROM "CustomerFigures" c JOIN "Lead" l ON l."customerId" = c."customerId"
    WHERE LOWER(c."name") IN (${list}) GROUP BY LOWER(c."name")`;
  const byId = new Map<string, number>();
  const byName = new Map<string, { count: number; leadId: number }>();
  for (const r of rows) {
    if (Number(r.rank) === 0) byId.set(r.key, Number(r.id));
    else byName.set(r.key, { count: Number(r.n), leadId: Number(r.id) });
  }
  return { byId, byName };
}
