import { UserFacingError } from '../common/errors';
import { MAX_SEARCH_LENGTH } from '../common/limits';
import { type CrmPrisma, providerOfClient } from '../db/client';
import { Prisma } from '../generated/sqlite/client';
import type { LeadIdentity } from './leads';

/**
 * Lead search over name, company, e-mail and customer id (CustomerFigures.searchText is
 * their lower-cased concatenation), through a trigram index on both providers. Ranked:
 * exact customer id, exact name, a word starting with the text, the text anywhere; ties by
 * lifetime USD, biggest first, then the oldest lead.
 */

export const MATCH_RANK = { exactId: 0, exactName: 1, prefix: 2, contains: 3 } as const;

/** A lead as lists of leads show it: who the customer is, where the lead stands, what it is worth. */
export interface LeadMatch extends LeadIdentity {
  lifetimeUsdCents: bigint;
}

/** The Prisma `select` of a lead that toLeadMatch reads; extend it for more fields. */
export const leadMatchSelect = {
  id: true,
  customerId: true,
  stage: true,
  ownerId: true,
  customer: { select: { name: true, company: true, lifetimeUsdCents: true } },
} as const;

/** What leadMatchSelect reads. */
export interface LeadMatchRow {
  id: number;
  customerId: string;
  stage: string;
  ownerId: string | null;
  customer: { name: string; company: string | null; lifetimeUsdCents: bigint };
}

export function toLeadMatch(l: LeadMatchRow): LeadMatch {
  return {
    leadId: l.id,
    customerId: l.customerId,
    name: l.customer.name,
    company: l.customer.company,
    stage: l.stage,
    ownerId: l.ownerId,
    lifetimeUsdCents: l.customer.lifetimeUsdCents,
  };
}

export type LeadResolution =
  | { kind: 'found'; lead: LeadMatch }
  | { kind: 'ambiguous'; candidates: LeadMatch[]; total: number }
  | { kind: 'none' };

export interface RankedMatch extends LeadMatch {
  rank: number;
}

export interface LeadSearchResult {
  matches: RankedMatch[];
  /** Every lead that matched, of which `matches` are the best. */
  total: number;
}

/** LIKE pattern text with the wildcards escaped (ESCAPE '\', the same on SQLite and PostgreSQL). */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** GLOB pattern text with its wildcards made literal (`[*]`): SQLite's FTS index serves GLOB, not LIKE … ESCAPE. */
function globEscape(text: string): string {
  return text.replace(/[*?[]/g, (c) => `[${c}]`);
}

export function normaliseQuery(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A search text longer than MAX_SEARCH_LENGTH: refused before any query runs. */
export class SearchTextTooLongError extends UserFacingError {
  constructor(readonly length: number) {
    super(searchTooLongMessage(length));
  }
}

/** What the person reads when their search text is too long. */
export function searchTooLongMessage(length: number): string {
  return `Search text can be at most ${MAX_SEARCH_LENGTH} characters (this one has ${length.toLocaleString('en-US')}). Type a shorter part of the name, company, e-mail or customer id.`;
}

/** The length a search text counts as (spaces folded), or null when it is within MAX_SEARCH_LENGTH. */
export function searchTextOverLimit(text: string): number | null {
  // A cheap bound first: the folding below is linear, but need not run on a huge text.
  if (text.length <= MAX_SEARCH_LENGTH) return null;
  const length = normaliseQuery(text).length;
  return length > MAX_SEARCH_LENGTH ? length : null;
}

/** The normalised text of a search, or SearchTextTooLongError. */
function needleOf(text: string): string {
  const over = searchTextOverLimit(text);
  if (over !== null) throw new SearchTextTooLongError(over);
  return normaliseQuery(text);
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

/**
 * Up to this many matches, the search runs through the trigram index (its cost grows with
 * the matches, about 0.5 µs each on SQLite). Beyond it the text matches a large share of
 * customers (a letter or two typed into the picker, a common word), and the best matches
 * are found among the richest customers instead (see `rankedInWindow`).
 */
export const INDEXED_SEARCH_MAX_MATCHES = 5_000;

/** The richest customers a broad text's best matches are first looked for among. */
export const SEARCH_WINDOW = 5_000;

/** The trigram index needs three characters. */
const MIN_INDEXED_LENGTH = 3;

interface Dialect {
  provider: 'sqlite' | 'postgres';
  /** The substring-position function. */
  pos: Prisma.Sql;
}

/** The rank of a match, as SQL: exact id, exact name, a word starting with the text, else the text anywhere. */
function rankSql(d: Dialect, needle: string): Prisma.Sql {
  return Prisma.sql`CASE
    WHEN LOWER(c."customerId") = ${needle} THEN 0
    WHEN LOWER(c."name") = ${needle} THEN 1
    WHEN ${d.pos}(c."searchText", ${needle}) = 1 OR ${d.pos}(c."searchText", ${` ${needle}`}) > 0 THEN 2
    ELSE 3
  END`;
}

/** "The customer's text contains the needle", in the form each provider's index serves. */
function containsSql(d: Dialect, needle: string, alias: 'c' | 's' = 'c'): Prisma.Sql {
  const col = Prisma.raw(`${alias}."searchText"`);
  // SQLite's FTS5 index serves GLOB (not LIKE … ESCAPE); PostgreSQL's pg_trgm serves LIKE.
  return d.provider === 'sqlite'
    ? Prisma.sql`${col} GLOB ${`*${globEscape(needle)}*`}`
    : Prisma.sql`${col} LIKE ${`%${likeEscape(needle)}%`} ESCAPE '\\'`;
}

/** Plain substring test for a scan (no index to serve). */
function scanContainsSql(d: Dialect, needle: string): Prisma.Sql {
  return Prisma.sql`${d.pos}(c."searchText", ${needle}) > 0`;
}

const MATCH_COLUMNS =
  Prisma.raw(`l."id" AS "id", l."customerId" AS "customerId", l."stage" AS "stage", l."ownerId" AS "ownerId",
  c."name" AS "name", c."company" AS "company", c."lifetimeUsdCents" AS "lifetimeUsdCents"`);

const RANK_ORDER = Prisma.raw(`ORDER BY "rank" ASC, "lifetimeUsdCents" DESC, "id" ASC`);

function dialectOf(prisma: CrmPrisma): Dialect {
  const provider = providerOfClient(prisma);
  return { provider, pos: Prisma.raw(provider === 'sqlite' ? 'instr' : 'strpos') };
}

function toRanked(r: MatchRow): RankedMatch {
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

/**
 * Matches of a text that is selective enough for the index (at most
 * INDEXED_SEARCH_MAX_MATCHES, which a bounded probe of the index tells), all ranked in SQL,
 * with their count; null when the text is too short or too common for the index.
 */
async function rankedThroughIndex(
  prisma: CrmPrisma,
  d: Dialect,
  needle: string,
  limit: number,
): Promise<LeadSearchResult | null> {
  if (needle.length < MIN_INDEXED_LENGTH) return null;
  const probe =
    d.provider === 'sqlite'
      ? Prisma.sql`SELECT COUNT(*) AS n FROM (SELECT 1 FROM "CustomerSearch" s WHERE ${containsSql(d, needle, 's')} LIMIT ${INDEXED_SEARCH_MAX_MATCHES + 1}) p`
      : Prisma.sql`SELECT COUNT(*) AS n FROM (SELECT 1 FROM "CustomerFigures" c WHERE ${containsSql(d, needle)} LIMIT ${INDEXED_SEARCH_MAX_MATCHES + 1}) p`;
  const [counted] = await prisma.$queryRaw<{ n: number | bigint }[]>(probe);
  if (Number(counted?.n ?? 0) > INDEXED_SEARCH_MAX_MATCHES) return null;
  // SQLite: CROSS JOIN keeps the FTS table first (its own plan may start from Lead).
  const from =
    d.provider === 'sqlite'
      ? Prisma.sql`"CustomerSearch" s CROSS JOIN "CustomerFigures" c CROSS JOIN "Lead" l WHERE ${containsSql(d, needle, 's')} AND c.rowid = s.rowid`
      : Prisma.sql`"CustomerFigures" c JOIN "Lead" l ON l."customerId" = c."customerId" WHERE ${containsSql(d, needle)}`;
  const rows = await prisma.$queryRaw<(MatchRow & { total: number | bigint })[]>`
    SELECT * FROM (
      SELECT ${MATCH_COLUMNS}, ${rankSql(d, needle)} AS "rank", COUNT(*) OVER () AS "total"
      FROM ${from} AND l."customerId" = c."customerId"
    ) m ${RANK_ORDER} LIMIT ${limit}`;
  return { matches: rows.map(toRanked), total: Number(rows[0]?.total ?? 0) };
}

/**
 * The best matches of a text that matches a large share of customers. Exact id or name
 * come from their own indexes; the rest are looked for among the SEARCH_WINDOW richest
 * customers (a range of the lifetime-USD index). When the window yields `limit` matches
 * whose worst is a word-prefix match, no customer outside it can rank higher (it would
 * need a better rank, or the same rank and more USD), so the answer is exact; otherwise
 * (a text that starts no word among the richest) the whole table is ranked.
 */
async function rankedInWindow(prisma: CrmPrisma, d: Dialect, needle: string, limit: number): Promise<RankedMatch[]> {
  const rank = rankSql(d, needle);
  const exact = await prisma.$queryRaw<MatchRow[]>`
    SELECT * FROM (
      SELECT ${MATCH_COLUMNS}, ${rank} AS "rank"
      FROM "CustomerFigures" c JOIN "Lead" l ON l."customerId" = c."customerId"
      WHERE LOWER(c."customerId") = ${needle} OR LOWER(c."name") = ${needle}
    ) m ${RANK_ORDER} LIMIT ${limit}`;
  const need = limit - exact.length;
  if (need <= 0) return exact.map(toRanked);
  const rest = (window: Prisma.Sql) => prisma.$queryRaw<MatchRow[]>`
    SELECT * FROM (
      SELECT ${MATCH_COLUMNS}, ${rank} AS "rank"
      FROM "CustomerFigures" c JOIN "Lead" l ON l."customerId" = c."customerId"
      WHERE ${scanContainsSql(d, needle)} ${window}
    ) m WHERE "rank" >= 2 ${RANK_ORDER} LIMIT ${need}`;
  const [edge] = await prisma.$queryRaw<{ cents: bigint | number | string }[]>`
    SELECT "lifetimeUsdCents" AS "cents" FROM "CustomerFigures" ORDER BY "lifetimeUsdCents" DESC LIMIT 1 OFFSET ${SEARCH_WINDOW - 1}`;
  let rows: MatchRow[] | null = null;
  if (edge) {
    const inWindow = await rest(Prisma.sql`AND c."lifetimeUsdCents" >= ${BigInt(edge.cents)}`);
    if (inWindow.length === need && Number(inWindow[need - 1]!.rank) === MATCH_RANK.prefix) rows = inWindow;
  }
  rows ??= await rest(Prisma.empty);
  return [...exact, ...rows].map(toRanked);
}

/** The best `limit` leads for the text (no total: the typeahead does not show one). */
export async function searchLeadsTop(prisma: CrmPrisma, text: string, limit = 10): Promise<RankedMatch[]> {
  const needle = needleOf(text);
  if (!needle) return [];
  const d = dialectOf(prisma);
  const indexed = await rankedThroughIndex(prisma, d, needle, limit);
  return indexed ? indexed.matches : rankedInWindow(prisma, d, needle, limit);
}

/**
 * The best `limit` leads for the text, and how many matched in all. `prisma` must be a
 * client from openDatabase (not a transaction's): the SQL differs by provider.
 */
export async function searchLeads(prisma: CrmPrisma, text: string, limit = 10): Promise<LeadSearchResult> {
  const needle = needleOf(text);
  if (!needle) return { matches: [], total: 0 };
  const d = dialectOf(prisma);
  const indexed = await rankedThroughIndex(prisma, d, needle, limit);
  if (indexed) return indexed;
  const [matches, counted] = await Promise.all([
    rankedInWindow(prisma, d, needle, limit),
    prisma.$queryRaw<{ n: number | bigint }[]>`
      SELECT COUNT(*) AS n FROM "CustomerFigures" c JOIN "Lead" l ON l."customerId" = c."customerId" WHERE ${scanContainsSql(d, needle)}`,
  ]);
  return { matches, total: Number(counted[0]?.n ?? 0) };
}

/**
 * What a user typed after a command, resolved to one lead: an exact customer id, else the
 * only lead with exactly that name, else the only lead that matches at all.
 */
export async function resolveLeadText(prisma: CrmPrisma, text: string, candidates = 10): Promise<LeadResolution> {
  const { matches, total } = await searchLeads(prisma, text, Math.max(candidates, 2));
  if (matches.length === 0) return { kind: 'none' };
  const [first, second] = matches;
  if (first!.rank === MATCH_RANK.exactId) return { kind: 'found', lead: strip(first!) };
  if (first!.rank === MATCH_RANK.exactName && second?.rank !== MATCH_RANK.exactName)
    return { kind: 'found', lead: strip(first!) };
  if (total === 1) return { kind: 'found', lead: strip(first!) };
  return { kind: 'ambiguous', candidates: matches.slice(0, candidates).map(strip), total };
}

/** Like resolveLeadText, but succeeds only on an exact customer id or a single exact name. */
export async function resolveLeadExactly(prisma: CrmPrisma, text: string): Promise<LeadMatch | null> {
  const { matches } = await searchLeads(prisma, text, 2);
  const [first, second] = matches;
  if (!first) return null;
  if (first.rank === MATCH_RANK.exactId) return strip(first);
  if (first.rank === MATCH_RANK.exactName && second?.rank !== MATCH_RANK.exactName) return strip(first);
  return null;
}

/**
 * The first of `texts` (in the order given) that names one lead exactly: a customer id, or
 * the name of exactly one lead; null when none does. One query for all of them (the list is
 * the caller's few candidate texts, never data), where resolveLeadExactly would run a search
 * per text. Texts over MAX_SEARCH_LENGTH are skipped.
 */
export async function firstExactLead(
  prisma: CrmPrisma,
  texts: readonly string[],
): Promise<{ text: string; lead: LeadMatch } | null> {
  const wanted = texts.filter((t) => searchTextOverLimit(t) === null).map((t) => ({ t, needle: normaliseQuery(t) }));
  const needles = [...new Set(wanted.map((w) => w.needle).filter((n) => n !== ''))];
  if (needles.length === 0) return null;
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
  const byName = new Map<string, number>();
  for (const r of rows) {
    if (Number(r.rank) === MATCH_RANK.exactId) byId.set(r.key, Number(r.id));
    else if (Number(r.n) === 1) byName.set(r.key, Number(r.id));
  }
  for (const { t, needle } of wanted) {
    const leadId = byId.get(needle) ?? byName.get(needle);
    if (leadId === undefined) continue;
    const lead = await prisma.lead.findUnique({ where: { id: leadId }, select: leadMatchSelect });
    if (lead) return { text: t, lead: toLeadMatch(lead) };
  }
  return null;
}

function strip(m: RankedMatch): LeadMatch {
  const { rank: _rank, ...rest } = m;
  return rest;
}
