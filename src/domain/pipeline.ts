import { STAGES, type StageSlug } from '../common/stages';
import { rawDate } from '../db/bulk-rows';
import type { Database } from '../db/client';
import { Prisma } from '../generated/sqlite/client';
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

/**
 * Start of the "ordered in the last N days" window of the uncontacted filter, to the minute
 * (so the same question asked twice in a minute is the same question, and can be shared).
 */
export function uncontactedSince(now: Date, days: number): Date {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000 - days * DAY_MS);
}

/** The filter as SQL conditions over `"Lead" l` and `"CustomerFigures" c`. */
function filterConditions(q: PipelineQuery, stage: StageSlug | null): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (stage) conditions.push(Prisma.sql`l."stage" = ${stage}`);
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
  return conditions;
}

function whereSql(conditions: Prisma.Sql[]): Prisma.Sql {
  return conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
}

interface StageAggregateRow {
  stage: string;
  unknownCurrencies: string;
  n: bigint | number;
  cents: string | null;
}

type StageAggregates = Map<string, { count: number; cents: bigint; incomplete: Set<string>; incompleteCount: number }>;

function foldAggregates(rows: StageAggregateRow[]): StageAggregates {
  const byStage: StageAggregates = new Map();
  for (const r of rows) {
    const n = Number(r.n);
    if (n === 0) continue;
    const s = byStage.get(r.stage) ?? { count: 0, cents: 0n, incomplete: new Set<string>(), incompleteCount: 0 };
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

/**
 * Per-stage counts and USD sums. Every filter but "uncontacted" reads the totals the
 * database keeps per stage, owner and unknown-currency list (src/db/stage-totals.ts): a few
 * dozen rows whatever the number of leads. SUM is cast to text so both providers return it
 * exactly (PostgreSQL sums bigint as numeric).
 */
async function stageAggregates(db: Pick<Database, 'prisma' | 'provider'>, q: PipelineQuery): Promise<StageAggregates> {
  if (q.filter.owner === 'uncontacted') return scannedStageAggregates(db, q);
  const conditions: Prisma.Sql[] = [];
  if (q.filter.stage) conditions.push(Prisma.sql`"stage" = ${q.filter.stage}`);
  if (q.filter.owner === 'mine') conditions.push(Prisma.sql`"ownerKey" = ${q.viewerId}`);
  if (q.filter.owner === 'unowned') conditions.push(Prisma.sql`"ownerKey" = ''`);
  return foldAggregates(
    await db.prisma.$queryRaw<StageAggregateRow[]>`
      SELECT "stage", "unknownCurrencies", SUM("leads") AS "n", CAST(SUM("usdCents") AS TEXT) AS "cents"
      FROM "StageTotal" ${whereSql(conditions)}
      GROUP BY "stage", "unknownCurrencies"`,
  );
}

/**
 * The "uncontacted" filter depends on the clock (an order in the last N days), so no stored
 * total can answer it: one grouped scan over the matching leads. Grouping by the
 * unknown-currency list as well names the currencies that make a stage's total incomplete
 * without a second pass.
 */
async function scannedStageAggregates(
  db: Pick<Database, 'prisma' | 'provider'>,
  q: PipelineQuery,
): Promise<StageAggregates> {
  // On SQLite, unless one stage narrows the leads, reading customers (by the last-order
  // index) and probing Lead beats SQLite's own plan, which walks Lead and probes at random.
  const from =
    db.provider === 'sqlite' && q.filter.stage === null
      ? Prisma.sql`"CustomerFigures" c CROSS JOIN "Lead" l`
      : Prisma.sql`"Lead" l CROSS JOIN "CustomerFigures" c`;
  const rows = await db.prisma.$queryRaw<StageAggregateRow[]>`
    SELECT l."stage" AS "stage", c."unknownCurrencies" AS "unknownCurrencies",
           COUNT(*) AS "n", CAST(SUM(c."lifetimeUsdCents") AS TEXT) AS "cents"
    FROM ${from}
    ${whereSql([Prisma.sql`c."customerId" = l."customerId"`, ...filterConditions(q, q.filter.stage)])}
    GROUP BY l."stage", c."unknownCurrencies"`;
  return foldAggregates(rows);
}

/** Leads in every stage (for the page planner's density estimate): the sum of the stored totals. */
async function countAllLeads(db: Pick<Database, 'prisma'>): Promise<number> {
  const [row] = await db.prisma.$queryRaw<
    { n: bigint | number | null }[]
  >`SELECT SUM("leads") AS "n" FROM "StageTotal"`;
  return Number(row?.n ?? 0);
}

export function splitList(text: string | null | undefined): string[] {
  return text
    ? text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

interface LeadRow {
  id: number | bigint;
  customerId: string;
  stage: string;
  ownerId: string | null;
  lastTouchAt: Date | string | null;
  name: string;
  company: string | null;
  markets: string;
  lifetimeUsdCents: bigint | number | string;
  unknownCurrencies: string;
  lastOrderAt: Date | string | null;
  rateDate: Date | string | null;
}

const LEAD_COLUMNS =
  Prisma.raw(`l."id", l."customerId", l."stage", l."ownerId", l."lastTouchAt", c."name", c."company", c."markets",
  c."lifetimeUsdCents", c."unknownCurrencies", c."lastOrderAt", c."rateDate"`);

/**
 * Above this many index entries to walk, SQLite reads the stage's leads and sorts them
 * instead of walking customers by USD: a sparse stage or a deep page would walk too far.
 */
const MAX_USD_INDEX_WALK = 5_000;

/**
 * One page of a stage's leads by lifetime USD, highest first (LIMIT/OFFSET; never the whole
 * stage in memory). On SQLite the join order is chosen here (CROSS JOIN fixes it): walking
 * the lifetimeUsdCents index stops after a few rows when the stage is dense, where SQLite's
 * own choice reads and sorts the whole stage. Both orders use the same tie-break (the
 * index's own order), so paging is stable whichever is used. PostgreSQL plans it well itself.
 */
export async function stageLeadsPage(
  db: Pick<Database, 'prisma' | 'provider'>,
  q: PipelineQuery,
  stage: StageSlug,
  page: number,
  density: { matching: number; customers: number },
): Promise<PipelineLead[]> {
  const where = whereSql([Prisma.sql`l."customerId" = c."customerId"`, ...filterConditions(q, stage)]);
  const limit = q.pageSize;
  const offset = page * q.pageSize;
  let rows: LeadRow[];
  if (db.provider === 'sqlite') {
    const walk = ((offset + limit) * density.customers) / Math.max(1, density.matching);
    const from =
      walk <= MAX_USD_INDEX_WALK
        ? Prisma.sql`"CustomerFigures" c CROSS JOIN "Lead" l`
        : Prisma.sql`"Lead" l CROSS JOIN "CustomerFigures" c`;
    rows = await db.prisma.$queryRaw<LeadRow[]>`
      SELECT ${LEAD_COLUMNS} FROM ${from} ${where}
      ORDER BY c."lifetimeUsdCents" DESC, c.rowid DESC LIMIT ${limit} OFFSET ${offset}`;
  } else {
    rows = await db.prisma.$queryRaw<LeadRow[]>`
      SELECT ${LEAD_COLUMNS} FROM "CustomerFigures" c CROSS JOIN "Lead" l ${where}
      ORDER BY c."lifetimeUsdCents" DESC, c."customerId" DESC LIMIT ${limit} OFFSET ${offset}`;
  }
  return rows.map((r) => ({
    leadId: Number(r.id),
    customerId: r.customerId,
    stage: r.stage,
    name: r.name,
    company: r.company,
    markets: splitList(r.markets),
    lifetimeUsdCents: BigInt(r.lifetimeUsdCents),
    unknownCurrencies: splitList(r.unknownCurrencies),
    lastOrderAt: rawDate(r.lastOrderAt),
    rateDate: rawDate(r.rateDate),
    ownerId: r.ownerId,
    lastTouchAt: rawDate(r.lastTouchAt),
  }));
}

/**
 * What the Home tab shows: every stage (or the filtered one) with its count, USD total and
 * the requested page of its top leads. A page beyond the end falls back to the last page.
 */
export async function computePipeline(
  db: Pick<Database, 'prisma' | 'provider'>,
  q: PipelineQuery,
): Promise<PipelineSnapshot> {
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

/**
 * A version of the CRM data that changes whenever anything is written: on SQLite,
 * total_changes() counts the rows this process's one connection has changed, and
 * data_version changes when another connection (another instance) commits. Null on
 * PostgreSQL, whose connection pool runs dashboard queries in parallel anyway.
 */
async function sqliteDataVersion(db: Pick<Database, 'prisma' | 'provider'>): Promise<string | null> {
  if (db.provider !== 'sqlite') return null;
  const [row] = await db.prisma.$queryRaw<{ tc: bigint | number; dv: bigint | number }[]>`
    SELECT ${SQLITE_DATA_VERSION_COLUMNS}`;
  return row ? sqliteDataVersionOf(row) : null;
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

  get(db: Pick<Database, 'prisma'>): VersionCache | undefined {
    return this.byConnection.get(db.prisma);
  }

  set(db: Pick<Database, 'prisma'>, cache: VersionCache): void {
    this.byConnection.set(db.prisma, cache);
  }
}

/** Answers questions at one data version: each distinct question is computed once, shared by everyone asking it. */
export interface VersionedShare {
  get<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

const UNSHARED: VersionedShare = { get: (_key, compute) => compute() };

/**
 * The share for the data as it is now (one query reads the version). On SQLite, viewers
 * asking the same question of the same data version share one computation (and its result,
 * until anything is written): SQLite runs every query on one connection, so fifty people
 * opening Home at once would otherwise wait for fifty identical reads. Exact: any write
 * changes the version, so nothing stale is served. The version is read by each caller, never
 * shared while in flight: a publish that follows a write must see that write. Without
 * `shared`, or on PostgreSQL, every question is computed afresh.
 */
export async function shareAtCurrentVersion(
  db: Pick<Database, 'prisma' | 'provider'>,
  shared?: PipelineCache,
): Promise<VersionedShare> {
  if (!shared) return UNSHARED;
  return shareAtVersion(db, shared, await sqliteDataVersion(db));
}

/** The SQL reading the data version on SQLite: `sqliteDataVersionOf` makes the version of its columns. */
export const SQLITE_DATA_VERSION_COLUMNS = Prisma.sql`total_changes() AS "tc", (SELECT data_version FROM pragma_data_version) AS "dv"`;

export function sqliteDataVersionOf(row: { tc: bigint | number; dv: bigint | number }): string {
  return `${row.tc}:${row.dv}`;
}

/**
 * The share at a version the caller has just read (SQLITE_DATA_VERSION_COLUMNS, in a query it
 * makes anyway), under the same rule as shareAtCurrentVersion. Null version: nothing shared.
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
 * loadPipeline with sharing on SQLite (see shareAtCurrentVersion): pass the app's cache, or
 * a share already taken for this request. Without either, every call computes afresh.
 */
export async function loadPipeline(
  db: Pick<Database, 'prisma' | 'provider'>,
  q: PipelineQuery,
  shared?: PipelineCache | VersionedShare,
): Promise<PipelineSnapshot> {
  const share =
    shared instanceof PipelineCache || shared === undefined ? await shareAtCurrentVersion(db, shared) : shared;
  return share.get(pipelineKey(q), () => computePipeline(db, q));
}
