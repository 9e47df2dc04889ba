import { splitList } from '../common/lists';
import { STAGES, type StageSlug } from '../common/stages';
import type { Database } from '../db/client';
import {
  countAllLeads,
  dataVersion,
  type LeadFilter,
  type StageGroup,
  scannedStageGroups,
  stageLeadsPage as selectStageLeadsPage,
  storedStageGroups,
} from '../db/pipeline/pipeline-sql';
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

const HOUR_MS = 60 * 60 * 1000;

/**
 * Start of the "ordered in the last N days" window (the uncontacted filter, and "ordered
 * lately, never contacted" in who to call today), counted from the start of the current UTC
 * hour: a lead stays in it up to an hour past its N days. So the question is the same for
 * everyone opening Home within the hour, and its answer (a read of every recent order's
 * lead, tens of ms at 200,000 customers) is shared for the hour rather than read again by the
 * first open of every minute.
 */
export function uncontactedSince(now: Date, days: number): Date {
  return new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - days * DAY_MS);
}

/** The leads a question is about, as the database reads them. */
function leadFilter(q: PipelineQuery, stage: StageSlug | null): LeadFilter {
  return {
    stage,
    owner: q.filter.owner,
    viewerId: q.viewerId,
    orderedSince: q.filter.owner === 'uncontacted' ? uncontactedSince(q.now, q.filter.uncontactedDays) : null,
  };
}

type StageAggregates = Map<string, { count: number; cents: bigint; incomplete: Set<string>; incompleteCount: number }>;

function foldAggregates(groups: StageGroup[]): StageAggregates {
  const byStage: StageAggregates = new Map();
  for (const g of groups) {
    if (g.leads === 0) continue;
    const s = byStage.get(g.stage) ?? { count: 0, cents: 0n, incomplete: new Set<string>(), incompleteCount: 0 };
    s.count += g.leads;
    s.cents += g.usdCents;
    if (g.unknownCurrencies) {
      s.incompleteCount += g.leads;
      for (const c of splitList(g.unknownCurrencies)) s.incomplete.add(c);
    }
    byStage.set(g.stage, s);
  }
  return byStage;
}

/**
 * Per-stage counts and USD sums. Every filter but "uncontacted" reads the totals kept per
 * stage, owner and unknown-currency list: a few dozen rows whatever the number of leads.
 * "Uncontacted" depends on the clock (an order in the last N days), so no stored total can
 * answer it: one grouped scan over the matching leads, grouped by the unknown-currency list
 * as well so the currencies that make a total incomplete come without a second pass.
 */
async function stageAggregates(db: Database, q: PipelineQuery): Promise<StageAggregates> {
  const filter = leadFilter(q, q.filter.stage);
  return foldAggregates(
    q.filter.owner === 'uncontacted' ? await scannedStageGroups(db, filter) : await storedStageGroups(db, filter),
  );
}

/** One page of a stage's leads by lifetime USD, highest first. */
export async function stageLeadsPage(
  db: Database,
  q: PipelineQuery,
  stage: StageSlug,
  page: number,
  density: { matching: number; customers: number },
): Promise<PipelineLead[]> {
  const rows = await selectStageLeadsPage(
    db,
    { ...leadFilter(q, stage), stage },
    q.pageSize,
    page * q.pageSize,
    density,
  );
  return rows.map((r) => ({
    ...r,
    markets: splitList(r.markets),
    unknownCurrencies: splitList(r.unknownCurrencies),
  }));
}

/**
 * What the Home tab shows: every stage (or the filtered one) with its count, USD total and
 * the requested page of its top leads. A page beyond the end falls back to the last page.
 */
export async function computePipeline(db: Database, q: PipelineQuery): Promise<PipelineSnapshot> {
  const [aggregates, customers] = await Promise.all([stageAggregates(db, q), countAllLeads(db)]);
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
        leads: count > 0 ? await stageLeadsPage(db, q, slug, page, { matching: count, customers }) : [],
        page,
        pageSize: q.pageSize,
      };
    }),
  );
  return { stages, totalCount: stages.reduce((n, s) => n + s.count, 0) };
}

interface VersionCache {
  version: string;
  entries: Map<string, Promise<unknown>>;
}

/** Distinct questions kept per data version (filters x pages in use at once, and the Home tab's shared parts). */
const MAX_CACHED_ENTRIES = 100;

/** Results shared by the viewers of one app, per database connection and data version; built once in server.ts. */
export class PipelineCache {
  private readonly byConnection = new WeakMap<object, VersionCache>();
  private readonly latestByConnection = new WeakMap<object, Map<string, { key: string; value: Promise<unknown> }>>();

  get(db: Pick<Database, 'prisma'>): VersionCache | undefined {
    return this.byConnection.get(db.prisma);
  }

  set(db: Pick<Database, 'prisma'>, cache: VersionCache): void {
    this.byConnection.set(db.prisma, cache);
  }

  /**
   * One answer per `name`, for its latest `key` only: for a question whose key moves on with
   * more than the data version (Home's sync line: the sync's run records change many times in
   * one sync), so its past keys never fill the version's share and push the shared lists out.
   */
  latest<T>(db: Pick<Database, 'prisma'>, name: string, key: string, compute: () => Promise<T>): Promise<T> {
    let slots = this.latestByConnection.get(db.prisma);
    if (!slots) {
      slots = new Map();
      this.latestByConnection.set(db.prisma, slots);
    }
    const slot = slots.get(name);
    if (slot?.key === key) return slot.value as Promise<T>;
    const value = compute();
    const kept = { key, value };
    slots.set(name, kept);
    // A failed computation is not kept: the next viewer tries again.
    value.catch(() => {
      if (slots.get(name) === kept) slots.delete(name);
    });
    return value;
  }
}

/** Answers questions at one data version: each distinct question is computed once, shared by everyone asking it. */
export interface VersionedShare {
  get<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

const UNSHARED: VersionedShare = { get: (_key, compute) => compute() };

/**
 * The share for the data as it is now (one query reads the version). Viewers asking the same
 * question of the same data version share one computation (and its result, until anything
 * is written): where every query runs on one connection, fifty people opening Home at once
 * would otherwise wait for fifty identical reads. Exact: any write changes the version, so
 * nothing stale is served. The version is read by each caller, never shared while in flight:
 * a publish that follows a write must see that write. Without `shared`, or where the database
 * keeps no version, every question is computed afresh.
 */
export async function shareAtCurrentVersion(db: Database, shared?: PipelineCache): Promise<VersionedShare> {
  if (!shared) return UNSHARED;
  return shareAtVersion(db, shared, await dataVersion(db));
}

/**
 * The share at a version the caller has just read (in a query it makes anyway), under the same rule as shareAtCurrentVersion. Null version: nothing shared.
 */
export function shareAtVersion(
  db: Pick<Database, 'prisma'>,
  shared: PipelineCache | undefined,
  version: string | null,
): VersionedShare {
  if (!shared || version === null) return UNSHARED;
  let cache = shared.get(db);
  if (!cache || cache.version !== version) {
    cache = { version, entries: new Map() };
    shared.set(db, cache);
  }
  const at = cache;
  return {
    get<T>(key: string, compute: () => Promise<T>): Promise<T> {
      const hit = at.entries.get(key);
      if (hit) return hit as Promise<T>;
      if (at.entries.size >= MAX_CACHED_ENTRIES) at.entries.clear();
      const computing = compute();
      at.entries.set(key, computing);
      // A failed computation is not kept: the next viewer tries again.
      computing.catch(() => at.entries.delete(key));
      return computing;
    },
  };
}

/** The key of a pipeline question: what the answer depends on. */
function pipelineKey(q: PipelineQuery): string {
  return JSON.stringify([
    'pipeline',
    q.filter.owner,
    q.filter.owner === 'mine' ? q.viewerId : null,
    q.filter.owner === 'uncontacted' ? uncontactedSince(q.now, q.filter.uncontactedDays).getTime() : null,
    q.filter.stage,
    q.filter.pages,
    q.pageSize,
  ]);
}

/**
 * loadPipeline with sharing (see shareAtCurrentVersion): pass the app's cache, or
 * a share already taken for this request. Without either, every call computes afresh.
 */
export async function loadPipeline(
  db: Database,
  q: PipelineQuery,
  shared?: PipelineCache | VersionedShare,
): Promise<PipelineSnapshot> {
  const share =
    shared instanceof PipelineCache || shared === undefined ? await shareAtCurrentVersion(db, shared) : shared;
  return share.get(pipelineKey(q), () => computePipeline(db, q));
}
