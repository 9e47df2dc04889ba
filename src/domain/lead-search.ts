import type { CrmPrisma } from '../db/client';
import type { LeadIdentity } from './leads';

/**
 * Lead search over name, company, e-mail and customer id (CustomerFigures.searchText is
 * their lower-cased concatenation). Ranked: exact customer id, exact name, a word starting
 * with the text, the text anywhere; ties by lifetime USD, biggest first.
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

export function normaliseQuery(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

interface RankedRow {
  id: number | bigint;
  rank: number | bigint;
}

/** The best `limit` leads for the text, and how many matched in all. */
export async function searchLeads(prisma: CrmPrisma, text: string, limit = 10): Promise<LeadSearchResult> {
  const needle = normaliseQuery(text);
  if (!needle) return { matches: [], total: 0 };
  const escaped = likeEscape(needle);
  const contains = `%${escaped}%`;
  const prefix = `${escaped}%`;
  const wordPrefix = `% ${escaped}%`;
  // One statement on both providers: rank in SQL so the top `limit` is exact at any data size.
  const [rows, counted] = await Promise.all([
    prisma.$queryRaw<RankedRow[]>`
      SELECT l."id" AS id,
        CASE
          WHEN LOWER(c."customerId") = ${needle} THEN 0
          WHEN LOWER(c."name") = ${needle} THEN 1
          WHEN c."searchText" LIKE ${prefix} ESCAPE '\\' OR c."searchText" LIKE ${wordPrefix} ESCAPE '\\' THEN 2
          ELSE 3
        END AS rank
      FROM "Lead" l JOIN "CustomerFigures" c ON c."customerId" = l."customerId"
      WHERE c."searchText" LIKE ${contains} ESCAPE '\\'
      ORDER BY rank ASC, c."lifetimeUsdCents" DESC, l."id" ASC
      LIMIT ${limit}`,
    prisma.$queryRaw<{ n: number | bigint }[]>`
      SELECT COUNT(*) AS n
      FROM "Lead" l JOIN "CustomerFigures" c ON c."customerId" = l."customerId"
      WHERE c."searchText" LIKE ${contains} ESCAPE '\\'`,
  ]);
  const ids = rows.map((r) => Number(r.id));
  const rankOf = new Map(rows.map((r) => [Number(r.id), Number(r.rank)]));
  const leads = await prisma.lead.findMany({ where: { id: { in: ids } }, select: leadMatchSelect });
  const byId = new Map(leads.map((l) => [l.id, l]));
  const matches: RankedMatch[] = [];
  for (const id of ids) {
    const l = byId.get(id);
    if (l) matches.push({ ...toLeadMatch(l), rank: rankOf.get(id)! });
  }
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
  if (first!.rank === MATCH_RANK.exactName && second?.rank !== MATCH_RANK.exactName) return { kind: 'found', lead: strip(first!) };
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

function strip(m: RankedMatch): LeadMatch {
  const { rank: _rank, ...rest } = m;
  return rest;
}
