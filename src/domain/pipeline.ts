import { Prisma } from '../generated/sqlite/client';
import type { CrmPrisma } from '../db/client';
import { STAGES, type StageSlug } from './stages';
import type { HomeFilter } from './home-filter';

/** One lead as the dashboard lists it: CRM fields plus the cached production figures. */
export interface PipelineLead {
  leadId: number;
  customerId: string;
  stage: string;
  name: string;
  company: string | null;
  /** Market codes the customer bought in, e.g. ["AE", "SA"]. */
  markets: string[];
  lifetimeUsdCents: bigint;
  /** Currencies left out of lifetimeUsdCents (figure incomplete); empty when complete. */
  unknownCurrencies: string[];
  lastOrderAt: Date | null;
  rateDate: Date | null;
  ownerId: string | null;
  /** Null: nobody has touched the lead yet. */
  lastTouchAt: Date | null;
}

export interface StageSummary {
  slug: StageSlug;
  /** Leads in the stage that match the filter. */
  count: number;
  /** Sum of their lifetime USD (converted figures only). */
  lifetimeUsdCents: bigint;
  /** Currencies some of these leads have that could not be converted: the total is a lower bound. */
  incompleteCurrencies: string[];
  /** Leads in this stage with an incomplete figure. */
  incompleteCount: number;
  /** The page of leads shown, by lifetime USD, highest first. */
  leads: PipelineLead[];
  page: number;
  pageSize: number;
}

export interface PipelineSnapshot {
  stages: StageSummary[];
  /** Leads matching the filter over the stages shown. */
  totalCount: number;
}

export interface PipelineQuery {
  filter: HomeFilter;
  /** The viewer, for "mine". */
  viewerId: string;
  now: Date;
  /** Leads per stage page. */
  pageSize: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Start of the "ordered in the last N days" window of the uncontacted filter. */
export function uncontactedSince(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/** The filter as a Prisma `where` on Lead (for the indexed top-N lists). */
function leadWhere(q: PipelineQuery, stage: StageSlug): Prisma.LeadWhereInput {
  const where: Prisma.LeadWhereInput = { stage };
  switch (q.filter.owner) {
    case 'mine':
      where.ownerId = q.viewerId;
      break;
    case 'unowned':
      where.ownerId = null;
      break;
    case 'uncontacted':
      where.lastTouchAt = null;
      where.customer = { lastOrderAt: { gte: uncontactedSince(q.now, q.filter.uncontactedDays) } };
      break;
    case 'all':
      break;
  }
  return where;
}

/** The same filter as SQL conditions over `"Lead" l JOIN "CustomerFigures" c` (for the aggregates). */
function filterSql(q: PipelineQuery): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (q.filter.stage) conditions.push(Prisma.sql`l."stage" = ${q.filter.stage}`);
  switch (q.filter.owner) {
    case 'mine':
      conditions.push(Prisma.sql`l."ownerId" = ${q.viewerId}`);
      break;
    case 'unowned':
      conditions.push(Prisma.sql`l."ownerId" IS NULL`);
      break;
    case 'uncontacted':
      conditions.push(Prisma.sql`l."lastTouchAt" IS NULL`);
      conditions.push(Prisma.sql`c."lastOrderAt" >= ${uncontactedSince(q.now, q.filter.uncontactedDays)}`);
      break;
    case 'all':
      break;
  }
  return conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
}

interface StageAggregateRow {
  stage: string;
  unknownCurrencies: string;
  n: bigint | number;
  cents: string | null;
}

/**
 * Per-stage counts and USD sums in one grouped scan. Grouping by the unknown-currency list
 * as well names the currencies that make a stage's total incomplete without a second pass.
 * SUM is cast to text so both providers return it exactly (PostgreSQL sums bigint as numeric).
 */
async function stageAggregates(prisma: CrmPrisma, q: PipelineQuery) {
  const rows = await prisma.$queryRaw<StageAggregateRow[]>`
    SELECT l."stage" AS "stage", c."unknownCurrencies" AS "unknownCurrencies",
           COUNT(*) AS "n", CAST(SUM(c."lifetimeUsdCents") AS TEXT) AS "cents"
    FROM "Lead" l JOIN "CustomerFigures" c ON c."customerId" = l."customerId"
    ${filterSql(q)}
    GROUP BY l."stage", c."unknownCurrencies"`;
  const byStage = new Map<string, { count: number; cents: bigint; incomplete: Set<string>; incompleteCount: number }>();
  for (const r of rows) {
    const s = byStage.get(r.stage) ?? { count: 0, cents: 0n, incomplete: new Set<string>(), incompleteCount: 0 };
    const n = Number(r.n);
    s.count += n;
    s.cents += BigInt(r.cents ?? '0');
    if (r.unknownCurrencies) {
      s.incompleteCount += n;
      for (const c of splitList(r.unknownCurrencies)) s.incomplete.add(c);
    }
    byStage.set(r.stage, s);
  }
  return byStage;
}

export function splitList(text: string | null | undefined): string[] {
  return text ? text.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

const leadSelect = {
  id: true,
  customerId: true,
  stage: true,
  ownerId: true,
  lastTouchAt: true,
  customer: {
    select: { name: true, company: true, markets: true, lifetimeUsdCents: true, unknownCurrencies: true, lastOrderAt: true, rateDate: true },
  },
} as const;

/** One page of a stage's leads by lifetime USD (indexed order + take; never the whole stage). */
export async function stageLeadsPage(prisma: CrmPrisma, q: PipelineQuery, stage: StageSlug, page: number): Promise<PipelineLead[]> {
  const rows = await prisma.lead.findMany({
    where: leadWhere(q, stage),
    select: leadSelect,
    // The id breaks ties so paging is stable between two pages.
    orderBy: [{ customer: { lifetimeUsdCents: 'desc' } }, { id: 'asc' }],
    skip: page * q.pageSize,
    take: q.pageSize,
  });
  return rows.map((r) => ({
    leadId: r.id,
    customerId: r.customerId,
    stage: r.stage,
    name: r.customer.name,
    company: r.customer.company,
    markets: splitList(r.customer.markets),
    lifetimeUsdCents: r.customer.lifetimeUsdCents,
    unknownCurrencies: splitList(r.customer.unknownCurrencies),
    lastOrderAt: r.customer.lastOrderAt,
    rateDate: r.customer.rateDate,
    ownerId: r.ownerId,
    lastTouchAt: r.lastTouchAt,
  }));
}

/**
 * What the Home tab shows: every stage (or the filtered one) with its count, USD total and
 * the requested page of its top leads. A page beyond the end falls back to the last page.
 */
export async function loadPipeline(prisma: CrmPrisma, q: PipelineQuery): Promise<PipelineSnapshot> {
  const aggregates = await stageAggregates(prisma, q);
  const shown = STAGES.filter((s) => q.filter.stage === null || s.slug === q.filter.stage);
  const stages = await Promise.all(
    shown.map(async ({ slug }): Promise<StageSummary> => {
      const agg = aggregates.get(slug);
      const count = agg?.count ?? 0;
      const lastPage = Math.max(0, Math.ceil(count / q.pageSize) - 1);
      const page = Math.min(q.filter.pages[slug] ?? 0, lastPage);
      return {
        slug,
        count,
        lifetimeUsdCents: agg?.cents ?? 0n,
        incompleteCurrencies: agg ? [...agg.incomplete].sort() : [],
        incompleteCount: agg?.incompleteCount ?? 0,
        leads: count > 0 ? await stageLeadsPage(prisma, q, slug, page) : [],
        page,
        pageSize: q.pageSize,
      };
    }),
  );
  return { stages, totalCount: stages.reduce((n, s) => n + s.count, 0) };
}
