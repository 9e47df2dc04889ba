import { Prisma } from '../../generated/sqlite/client';
import { rawDate } from '../bulk-rows';
import type { Database, DbProvider } from '../client';
import type { PostgresVersionRow } from '../postgres-data-version';
import { readRows } from '../read-rows';
import type { DataVersionRow, DataVersions } from '../sqlite-data-version';
import { postgresPipeline } from './postgres-pipeline';
import { sqlitePipeline } from './sqlite-pipeline';

/** Which leads a pipeline question is about. */
export interface LeadFilter {
  /** One stage, or every stage. */
  stage: string | null;
  owner: 'all' | 'mine' | 'unowned' | 'uncontacted';
  /** The viewer, for "mine". */
  viewerId: string;
  /** For "uncontacted": leads nobody touched whose customer ordered since then. */
  orderedSince: Date | null;
}

/** What differs between the providers' pipeline SQL. */
export interface PipelineDialect {
  /** FROM for a grouped scan of the matching leads (`l` Lead, `c` CustomerFigures). */
  scanFrom(oneStage: boolean): Prisma.Sql;
  /**
   * One page of leads by lifetime USD, highest first (the lead's copy of it, lead-figures.ts);
   * `walk` estimates the entries of the stage's USD index to pass (0: the index holds the filter).
   */
  pageSql(where: Prisma.Sql, limit: number, offset: number, walk: number): Prisma.Sql;
  /**
   * Columns reading the data versions: SQLite `cv` and `sv`, the counters of the CRM data's
   * writes and of the sync's run records; PostgreSQL `ps`, the query's transaction snapshot.
   */
  versionColumns: Prisma.Sql;
}

const DIALECTS: Record<DbProvider, PipelineDialect> = { sqlite: sqlitePipeline, postgres: postgresPipeline };

function filterConditions(f: LeadFilter): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (f.stage) conditions.push(Prisma.sql`l."stage" = ${f.stage}`);
  if (f.owner === 'mine') conditions.push(Prisma.sql`l."ownerId" = ${f.viewerId}`);
  if (f.owner === 'unowned') conditions.push(Prisma.sql`l."ownerId" IS NULL`);
  if (f.owner === 'uncontacted') {
    conditions.push(Prisma.sql`l."lastTouchAt" IS NULL`);
    if (f.orderedSince) conditions.push(Prisma.sql`c."lastOrderAt" >= ${f.orderedSince}`);
  }
  return conditions;
}

function whereSql(conditions: Prisma.Sql[]): Prisma.Sql {
  return conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
}

/** Leads of one stage and unknown-currency list: how many, and their lifetime USD. */
export interface StageGroup {
  stage: string;
  unknownCurrencies: string;
  leads: number;
  usdCents: bigint;
}

type GroupRow = { stage: string; unknownCurrencies: string; n: bigint | number; cents: string | null };

const toGroup = (r: GroupRow): StageGroup => ({
  stage: r.stage,
  unknownCurrencies: r.unknownCurrencies,
  leads: Number(r.n),
  usdCents: BigInt(r.cents ?? '0'),
});

/**
 * Per stage and unknown-currency list, from the totals the database keeps per stage, owner
 * and list (stage-totals.ts): a few dozen rows whatever the number of leads. Not for
 * "uncontacted", which depends on the clock (scanStageGroups). SUM is cast to text so both
 * providers return it exactly (PostgreSQL sums bigint as numeric).
 */
export async function storedStageGroups(db: Pick<Database, 'prisma'>, f: LeadFilter): Promise<StageGroup[]> {
  const conditions: Prisma.Sql[] = [];
  if (f.stage) conditions.push(Prisma.sql`"stage" = ${f.stage}`);
  if (f.owner === 'mine') conditions.push(Prisma.sql`"ownerKey" = ${f.viewerId}`);
  if (f.owner === 'unowned') conditions.push(Prisma.sql`"ownerKey" = ''`);
  const rows = await db.prisma.$queryRaw<GroupRow[]>`
    SELECT "stage", "unknownCurrencies", SUM("leads") AS "n", CAST(SUM("usdCents") AS TEXT) AS "cents"
    FROM "StageTotal" ${whereSql(conditions)}
    GROUP BY "stage", "unknownCurrencies"`;
  return rows.map(toGroup);
}

/** The same groups by one grouped scan over the matching leads (for filters no stored total answers). */
export async function scannedStageGroups(
  db: Pick<Database, 'prisma' | 'provider'>,
  f: LeadFilter,
): Promise<StageGroup[]> {
  const rows = await db.prisma.$queryRaw<GroupRow[]>`
    SELECT l."stage" AS "stage", c."unknownCurrencies" AS "unknownCurrencies",
           COUNT(*) AS "n", CAST(SUM(c."lifetimeUsdCents") AS TEXT) AS "cents"
    FROM ${DIALECTS[db.provider].scanFrom(f.stage !== null)}
    ${whereSql([Prisma.sql`c."customerId" = l."customerId"`, ...filterConditions(f)])}
    GROUP BY l."stage", c."unknownCurrencies"`;
  return rows.map(toGroup);
}

/** Leads in every stage: the sum of the stored totals. */
export async function countAllLeads(db: Pick<Database, 'prisma'>): Promise<number> {
  const [row] = await db.prisma.$queryRaw<
    { n: bigint | number | null }[]
  >`SELECT SUM("leads") AS "n" FROM "StageTotal"`;
  return Number(row?.n ?? 0);
}

/** A lead with its customer's cached figures; list columns as stored (comma-separated). */
export interface LeadWithFigures {
  leadId: number;
  customerId: string;
  stage: string;
  ownerId: string | null;
  lastTouchAt: Date | null;
  name: string;
  company: string | null;
  markets: string;
  lifetimeUsdCents: bigint;
  unknownCurrencies: string;
  lastOrderAt: Date | null;
  rateDate: Date | null;
}

export interface LeadRow {
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

/**
 * One page of a stage's matching leads by lifetime USD, highest first (LIMIT/OFFSET; never
 * the whole stage in memory), ties by customer id, highest first. Every filter but
 * "uncontacted" is a range of one index of the lead (stage, or owner and stage, then USD);
 * for "uncontacted", `density` (matching leads of all customers) lets the provider choose
 * between walking that index and sorting the recent orderers; both give the same order, so
 * paging is stable.
 */
export async function stageLeadsPage(
  db: Pick<Database, 'prisma' | 'provider'>,
  f: LeadFilter & { stage: string },
  limit: number,
  offset: number,
  density: { matching: number; customers: number },
): Promise<LeadWithFigures[]> {
  const where = whereSql([Prisma.sql`l."customerId" = c."customerId"`, ...filterConditions(f)]);
  const walk = f.owner === 'uncontacted' ? ((offset + limit) * density.customers) / Math.max(1, density.matching) : 0;
  const rows = await db.prisma.$queryRaw<LeadRow[]>(DIALECTS[db.provider].pageSql(where, limit, offset, walk));
  return rows.map((r) => ({
    leadId: Number(r.id),
    customerId: r.customerId,
    stage: r.stage,
    ownerId: r.ownerId,
    lastTouchAt: rawDate(r.lastTouchAt),
    name: r.name,
    company: r.company,
    markets: r.markets,
    lifetimeUsdCents: BigInt(r.lifetimeUsdCents),
    unknownCurrencies: r.unknownCurrencies,
    lastOrderAt: rawDate(r.lastOrderAt),
    rateDate: rawDate(r.rateDate),
  }));
}

type VersionRow = (DataVersionRow & PostgresVersionRow) | undefined;

/**
 * How to read the data versions in a query: the columns to add, and how to make the versions
 * of the row read. Bookkeeping writes (seen Slack requests, leases and the heartbeat, the
 * sync's run records) change no version of the CRM data. The database notes the writes of
 * each concern itself, with triggers, whoever makes them: on SQLite (db.sqliteDataVersion)
 * counters (db/sqlite-data-version.ts); on PostgreSQL (db.postgresSideWriter) the ids of the
 * transactions that wrote, compared with the query's transaction snapshot
 * (db/postgres-data-version.ts).
 */
function versionRead(
  db: Pick<Database, 'provider' | 'sqliteDataVersion' | 'postgresSideWriter'>,
): { columns: Prisma.Sql; of(row: VersionRow): Promise<DataVersions | null> } | null {
  const columns = DIALECTS[db.provider].versionColumns;
  const postgresSide = db.postgresSideWriter;
  if (postgresSide) {
    const read = postgresSide.versionRead();
    return { columns: Prisma.sql`${columns}, ${read.columns}`, of: async (row) => read.of(row) };
  }
  const sqlite = db.sqliteDataVersion;
  if (sqlite) {
    const of = sqlite.begin();
    return { columns, of: async (row) => of(row) };
  }
  return null;
}

/**
 * A version of the CRM data that changes whenever any of it is written, or null where none
 * is kept (then nothing is shared between readers). Bookkeeping that is not CRM data (seen
 * Slack requests, leases, the sync's run records and the like) changes no version.
 */
export async function dataVersion(
  db: Pick<Database, 'prisma' | 'provider' | 'sqliteDataVersion' | 'postgresSideWriter'>,
): Promise<string | null> {
  const read = versionRead(db);
  if (!read) return null;
  const [row] = await db.prisma.$queryRaw<NonNullable<VersionRow>[]>`SELECT ${read.columns}`;
  return (await read.of(row))?.data ?? null;
}

/** What every Home open reads first about its reader (readHomeStart). */
export interface HomeStart {
  filterJson: string | null;
  hasFollowUps: boolean;
  /** Whether any lead is theirs (the stored per-owner totals): else their own "today" lists are empty. */
  ownsLeads: boolean;
  /** Their agenda preference, null when they never set one. */
  agenda: { enabled: boolean; timeOfDay: string | null } | null;
  /** The CRM data's version (see dataVersion). */
  version: string | null;
  /** Changes whenever a sync's run is recorded, by any instance; null with `version`. */
  syncVersion: string | null;
}

const truthy = (v: unknown) => v === true || Number(v) === 1;

/**
 * What every Home open reads first, in one query: the reader's saved filter, whether any
 * follow-up of theirs is active and any lead is theirs, their agenda preference, and the data
 * version (see dataVersion). The per-reader lists that these say are empty are not read.
 * Past Prisma's client (read-rows.ts), on the connection Prisma's own reads use: on SQLite
 * the version must be of what Prisma's connection sees (sqlite-data-version.ts).
 */
export async function readHomeStart(
  db: Pick<Database, 'rowReader' | 'provider' | 'sqliteDataVersion' | 'postgresSideWriter'>,
  userId: string,
): Promise<HomeStart> {
  const read = versionRead(db);
  const version = read ? Prisma.sql`, ${read.columns}` : Prisma.empty;
  const [row] = await readRows<
    {
      hf: string | null;
      fu: unknown;
      ol: unknown;
      ap: unknown;
      ae: unknown;
      at: string | null;
    } & NonNullable<VersionRow>
  >(
    db,
    Prisma.sql`
    SELECT (SELECT "homeFilter" FROM "UserPreference" WHERE "userId" = ${userId}) AS "hf",
      EXISTS (SELECT 1 FROM "FollowUpAlert" WHERE "ownerId" = ${userId} AND "active" = TRUE) AS "fu",
      EXISTS (SELECT 1 FROM "StageTotal" WHERE "ownerKey" = ${userId} AND "leads" > 0) AS "ol",
      EXISTS (SELECT 1 FROM "AgendaPreference" WHERE "userId" = ${userId}) AS "ap",
      (SELECT "enabled" FROM "AgendaPreference" WHERE "userId" = ${userId}) AS "ae",
      (SELECT "timeOfDay" FROM "AgendaPreference" WHERE "userId" = ${userId}) AS "at"${version}`,
  );
  const versions = read ? await read.of(row) : null;
  return {
    filterJson: row?.hf ?? null,
    hasFollowUps: row ? truthy(row.fu) : false,
    ownsLeads: row ? truthy(row.ol) : false,
    agenda: row && truthy(row.ap) ? { enabled: truthy(row.ae), timeOfDay: row.at ?? null } : null,
    version: versions?.data ?? null,
    syncVersion: versions?.sync ?? null,
  };
}
