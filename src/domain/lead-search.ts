import { UserFacingError } from '../common/errors';
import { MAX_SEARCH_LENGTH } from '../common/limits';
import type { CrmPrisma } from '../db/client';
import {
  countScanMatches,
  exactKeyMatches,
  rankedInWindow,
  rankedThroughIndex,
} from '../db/lead-search/lead-search-sql';
import type { LeadIdentity } from './leads';

/**
 * Lead search over name, company, e-mail and customer id (CustomerFigures.searchText is
 * their lower-cased concatenation), through a trigram index. Ranked:
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

/** Matches through the trigram index, or null when the needle is too short or too common for it. */
async function throughIndex(prisma: CrmPrisma, needle: string, limit: number): Promise<LeadSearchResult | null> {
  if (needle.length < MIN_INDEXED_LENGTH) return null;
  return rankedThroughIndex(prisma, needle, limit, INDEXED_SEARCH_MAX_MATCHES);
}

/** The best `limit` leads for the text (no total: the typeahead does not show one). */
export async function searchLeadsTop(prisma: CrmPrisma, text: string, limit = 10): Promise<RankedMatch[]> {
  const needle = needleOf(text);
  if (!needle) return [];
  const indexed = await throughIndex(prisma, needle, limit);
  return indexed ? indexed.matches : rankedInWindow(prisma, needle, limit, SEARCH_WINDOW);
}

/**
 * The best `limit` leads for the text, and how many matched in all. `prisma` must be a
 * client from openDatabase (not a transaction's).
 */
export async function searchLeads(prisma: CrmPrisma, text: string, limit = 10): Promise<LeadSearchResult> {
  const needle = needleOf(text);
  if (!needle) return { matches: [], total: 0 };
  const indexed = await throughIndex(prisma, needle, limit);
  if (indexed) return indexed;
  const [matches, total] = await Promise.all([
    rankedInWindow(prisma, needle, limit, SEARCH_WINDOW),
    countScanMatches(prisma, needle),
  ]);
  return { matches, total };
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
  const { byId, byName } = await exactKeyMatches(prisma, needles);
  for (const { t, needle } of wanted) {
    const named = byName.get(needle);
    const leadId = byId.get(needle) ?? (named?.count === 1 ? named.leadId : undefined);
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
