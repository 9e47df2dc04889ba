import { z } from 'zod';
import { splitList } from '../common/lists';
import { factorPermille } from '../common/setting-schemas';
import { STAGES, type StageSlug } from '../common/stages';
import { localDayBounds, MS_PER_DAY } from '../common/zoned-time';
import { inTurns } from '../cooperative';
import type { CrmPrisma } from '../db/client';
import { countActivityPaths, rateDateRange, sumLifetimeUsd } from '../db/lead-aggregates';
import { bulkReads } from '../db/off-loop-reads';
import { upsertSetting } from '../db/single-statement-upserts';
import { lapsedAccounts, stageSuggestionRows } from '../db/today-queries';
import { countOverdueFollowUpsByOwner, type OverdueFollowUps } from './follow-ups/listing';
import { type LeadMatch, type LeadMatchRow, leadMatchSelect, toLeadMatch } from './lead-search';
import { usualOrderValue } from './rhythm';
import type { RhythmFactors, SettingValues, StaleThresholds } from './settings';
import { DEFAULT_UNCONTACTED_DAYS, findUncontacted } from './uncontacted-leads';

/**
 * The figures of a manager digest for a period, from the CRM database only (no Metabase):
 * the pipeline by stage with its change since the last posted digest, stage movements,
 * new leads from sync, the biggest uncontacted recent buyers, overdue follow-ups per
 * account manager, stale leads, and the rate dates the USD figures rest on.
 */

export const TOP_UNCONTACTED = 10;
/** How many items of each list a digest carries; the rest are counted ("and 12 more"). */
export const DIGEST_LIST_LIMIT = 10;
export const DIGEST_SHORT_LIST_LIMIT = 5;

export interface StageFigure {
  slug: StageSlug;
  count: number;
  usdCents: bigint;
  /** Leads whose lifetime figure left out a currency it could not convert. */
  incompleteCount: number;
  unknownCurrencies: string[];
  /** Change since the last posted digest; null when there was none. */
  countChange: number | null;
  usdChange: bigint | null;
}

export interface DigestLead extends LeadMatch {
  unknownCurrencies: string[];
  lastOrderAt: Date | null;
  lastTouchAt: Date | null;
}

export interface StageMovement {
  at: Date;
  /** Null: a system change. */
  actorId: string | null;
  leadId: number;
  customerName: string;
  fromStage: string | null;
  toStage: string | null;
}

/** How many leads took one route between two stages in the period (slugs; null: none). */
export interface StagePath {
  fromStage: string | null;
  toStage: string | null;
  count: number;
}

export interface StaleStage {
  slug: StageSlug;
  thresholdDays: number;
  count: number;
}

export interface DigestFigures {
  from: Date;
  to: Date;
  generatedAt: Date;
  pipeline: StageFigure[];
  /** When the snapshot the changes compare with was taken; null: first digest. */
  comparedWith: Date | null;
  /** `paths` covers every stage change of the period, most travelled first: its counts add up to `total`. */
  movements: { total: number; latest: StageMovement[]; paths: StagePath[] };
  newLeads: { total: number; top: DigestLead[] };
  uncontacted: { days: number; total: number; top: DigestLead[] };
  /** Per owner; see countOverdueFollowUpsByOwner for what counts as overdue. */
  overdue: { total: number; byOwner: OverdueFollowUps[] };
  stale: { total: number; byStage: StaleStage[]; top: DigestLead[] };
  /** Oldest and newest rate dates behind the cached USD figures; null when there are none. */
  rates: { oldest: Date | null; newest: Date | null };
  /** Accounts past the at-risk factor of their order rhythm; absent where not computed. */
  atRisk?: AtRiskFigures;
  /** Stage suggestions nobody has accepted or dismissed yet. */
  suggestionsWaiting?: number;
}

export interface AtRiskAccount {
  name: string;
  company: string | null;
  ownerId: string | null;
  valueAtRiskCents: bigint;
}

export interface AtRiskFigures {
  total: number;
  valueAtRiskCents: bigint;
  /** The five with most value at risk. */
  top: AtRiskAccount[];
}

/** Accounts at risk (the whole team, "today" in the digest's zone) and the stage suggestions waiting. */
export async function rhythmFigures(
  prisma: CrmPrisma,
  factors: RhythmFactors,
  timeZone: string,
  now: Date,
): Promise<{ atRisk: AtRiskFigures; suggestionsWaiting: number }> {
  const { start } = localDayBounds(now, timeZone);
  const startOfTodayMs = BigInt(start.getTime());
  const permille = factorPermille(factors);
  const [accounts, suggestions] = await Promise.all([
    lapsedAccounts(prisma, { team: true }, { startOfTodayMs, factorPermille: permille.atRisk, perOwner: 5 }),
    stageSuggestionRows(prisma, { team: true }, { startOfTodayMs, atRiskPermille: permille.atRisk, perOwner: 1 }),
  ]);
  const owners = new Map<string, { count: number; value: bigint }>();
  for (const a of accounts) owners.set(a.ownerId ?? '', { count: a.ownerCount, value: a.ownerValue });
  const top = accounts
    .map((a) => ({
      name: a.name,
      company: a.company,
      ownerId: a.ownerId,
      valueAtRiskCents: usualOrderValue(a.lifetimeUsdCents, a.orderCount) ?? 0n,
    }))
    .sort((a, b) => (b.valueAtRiskCents > a.valueAtRiskCents ? 1 : b.valueAtRiskCents < a.valueAtRiskCents ? -1 : 0))
    .slice(0, 5);
  const waiting = new Map<string, number>();
  for (const s of suggestions) waiting.set(s.ownerId ?? '', s.ownerCount);
  return {
    atRisk: {
      total: [...owners.values()].reduce((n, o) => n + o.count, 0),
      valueAtRiskCents: [...owners.values()].reduce((n, o) => n + o.value, 0n),
      top,
    },
    suggestionsWaiting: [...waiting.values()].reduce((n, c) => n + c, 0),
  };
}

/** The pipeline as it stood when a digest was posted: the baseline of the next one's changes. */
export interface PipelineSnapshot {
  takenAt: Date;
  periodKey: string;
  stages: Partial<Record<StageSlug, { count: number; usdCents: bigint }>>;
}

/** Internal state, not an admin setting: kept in the Setting table under this key. */
export const DIGEST_SNAPSHOT_KEY = 'digest_last_snapshot';

const storedSnapshotSchema = z.object({
  takenAt: z.iso.datetime(),
  periodKey: z.string(),
  stages: z.record(z.string(), z.object({ count: z.number().int(), usdCents: z.string().regex(/^-?\d+$/) })),
});

export async function loadLastSnapshot(prisma: CrmPrisma): Promise<PipelineSnapshot | null> {
  const row = await prisma.setting.findUnique({ where: { key: DIGEST_SNAPSHOT_KEY } });
  if (!row) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(row.value);
  } catch {
    return null;
  }
  const parsed = storedSnapshotSchema.safeParse(raw);
  if (!parsed.success) return null;
  const stages: PipelineSnapshot['stages'] = {};
  for (const s of STAGES) {
    const v = parsed.data.stages[s.slug];
    if (v) stages[s.slug] = { count: v.count, usdCents: BigInt(v.usdCents) };
  }
  return { takenAt: new Date(parsed.data.takenAt), periodKey: parsed.data.periodKey, stages };
}

export async function saveSnapshot(prisma: CrmPrisma, figures: DigestFigures, periodKey: string): Promise<void> {
  const value = JSON.stringify({
    takenAt: figures.generatedAt.toISOString(),
    periodKey,
    stages: Object.fromEntries(
      figures.pipeline.map((s) => [s.slug, { count: s.count, usdCents: s.usdCents.toString() }]),
    ),
  });
  await upsertSetting(prisma, DIGEST_SNAPSHOT_KEY, value, figures.generatedAt);
}

export interface DigestInput {
  from: Date;
  to: Date;
  now: Date;
  staleThresholds: StaleThresholds;
  previous: PipelineSnapshot | null;
}

const leadSelect = {
  ...leadMatchSelect,
  lastTouchAt: true,
  customer: { select: { ...leadMatchSelect.customer.select, unknownCurrencies: true, lastOrderAt: true } },
} as const;

type SelectedLead = LeadMatchRow & {
  lastTouchAt: Date | null;
  customer: { unknownCurrencies: string; lastOrderAt: Date | null };
};

function toDigestLead(l: SelectedLead): DigestLead {
  return {
    ...toLeadMatch(l),
    unknownCurrencies: splitList(l.customer.unknownCurrencies),
    lastOrderAt: l.customer.lastOrderAt,
    lastTouchAt: l.lastTouchAt,
  };
}

async function pipelineFigures(prisma: CrmPrisma, previous: PipelineSnapshot | null): Promise<StageFigure[]> {
  return inTurns(
    STAGES.map(({ slug }) => async () => {
      const [agg, incompleteCount, incompleteLists] = await Promise.all([
        sumLifetimeUsd(prisma, { lead: { is: { stage: slug } } }),
        prisma.customerFigures.count({ where: { lead: { is: { stage: slug } }, unknownCurrencies: { not: '' } } }),
        prisma.customerFigures.findMany({
          where: { lead: { is: { stage: slug } }, unknownCurrencies: { not: '' } },
          distinct: ['unknownCurrencies'],
          select: { unknownCurrencies: true },
          take: 20,
        }),
      ]);
      const count = agg.customers;
      const usdCents = agg.usdCents;
      const before = previous?.stages[slug];
      const unknown = new Set(incompleteLists.flatMap((r) => splitList(r.unknownCurrencies)));
      return {
        slug,
        count,
        usdCents,
        incompleteCount,
        unknownCurrencies: [...unknown].sort(),
        countChange: previous ? count - (before?.count ?? 0) : null,
        usdChange: previous ? usdCents - (before?.usdCents ?? 0n) : null,
      };
    }),
  );
}

async function staleLeads(prisma: CrmPrisma, thresholds: StaleThresholds, now: Date): Promise<DigestFigures['stale']> {
  const tracked = STAGES.flatMap(({ slug }) => {
    const thresholdDays = thresholds[slug];
    return thresholdDays ? [{ slug, thresholdDays, cutoff: new Date(now.getTime() - thresholdDays * MS_PER_DAY) }] : [];
  });
  // Never touched: its age counts from when sync created it.
  const whereFor = (t: (typeof tracked)[number]) => ({
    stage: t.slug,
    OR: [{ lastTouchAt: { lt: t.cutoff } }, { lastTouchAt: null, createdAt: { lt: t.cutoff } }],
  });
  const byStage = await inTurns(
    tracked.map((t) => async () => ({
      slug: t.slug,
      thresholdDays: t.thresholdDays,
      count: await prisma.lead.count({ where: whereFor(t) }),
    })),
  );
  const total = byStage.reduce((n, s) => n + s.count, 0);
  const top =
    total === 0
      ? []
      : await prisma.lead.findMany({
          where: { OR: tracked.map(whereFor) },
          orderBy: [{ customer: { lifetimeUsdCents: 'desc' } }, { id: 'asc' }],
          take: DIGEST_SHORT_LIST_LIMIT,
          select: leadSelect,
        });
  return { total, byStage: byStage.filter((s) => s.count > 0), top: top.map(toDigestLead) };
}

export async function computeDigestFigures(prisma: CrmPrisma, input: DigestInput): Promise<DigestFigures> {
  const { from, to, now } = input;
  const inPeriod = { gte: from, lt: to };

  const [
    pipeline,
    movementTotal,
    movementRows,
    movementPaths,
    newTotal,
    newTop,
    uncontacted,
    overdueByOwner,
    stale,
    rates,
  ] = await inTurns([
    () => pipelineFigures(prisma, input.previous),
    () => prisma.activity.count({ where: { kind: 'stage_change', createdAt: inPeriod } }),
    () =>
      prisma.activity.findMany({
        where: { kind: 'stage_change', createdAt: inPeriod },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: DIGEST_LIST_LIMIT,
        select: {
          createdAt: true,
          actorId: true,
          leadId: true,
          fromValue: true,
          toValue: true,
          lead: { select: { customer: { select: { name: true } } } },
        },
      }),
    () => countActivityPaths(prisma, { kind: 'stage_change', createdAt: inPeriod }),
    () => prisma.lead.count({ where: { createdAt: inPeriod } }),
    () =>
      prisma.lead.findMany({
        where: { createdAt: inPeriod },
        orderBy: [{ customer: { lifetimeUsdCents: 'desc' } }, { id: 'asc' }],
        take: DIGEST_SHORT_LIST_LIMIT,
        select: leadSelect,
      }),
    // The `/crm uncontacted` question with its default window.
    () => findUncontacted(prisma, { days: DEFAULT_UNCONTACTED_DAYS, now, limit: TOP_UNCONTACTED }),
    () => countOverdueFollowUpsByOwner(prisma, now),
    () => staleLeads(prisma, input.staleThresholds, now),
    () => rateDateRange(prisma, { lead: { isNot: null }, rateDate: { not: null } }),
  ]);

  return {
    from,
    to,
    generatedAt: now,
    pipeline,
    comparedWith: input.previous?.takenAt ?? null,
    movements: {
      total: movementTotal,
      latest: movementRows.map((a) => ({
        at: a.createdAt,
        actorId: a.actorId,
        leadId: a.leadId,
        customerName: a.lead.customer.name,
        fromStage: a.fromValue,
        toStage: a.toValue,
      })),
      paths: sortPaths(movementPaths.map((p) => ({ fromStage: p.fromValue, toStage: p.toValue, count: p.count }))),
    },
    newLeads: { total: newTotal, top: newTop.map(toDigestLead) },
    uncontacted: {
      days: uncontacted.days,
      total: uncontacted.total,
      top: uncontacted.leads.map((l) => ({ ...l, lastTouchAt: null })),
    },
    overdue: { total: overdueByOwner.reduce((n, o) => n + o.count, 0), byOwner: overdueByOwner },
    stale,
    rates,
  };
}

function stageOrder(slug: string | null): number {
  const i = STAGES.findIndex((s) => s.slug === slug);
  return i === -1 ? STAGES.length : i;
}

/** Most travelled first; ties in pipeline order of the stage left, then of the stage reached. */
function sortPaths(paths: StagePath[]): StagePath[] {
  return paths.sort(
    (a, b) =>
      b.count - a.count ||
      stageOrder(a.fromStage) - stageOrder(b.fromStage) ||
      stageOrder(a.toStage) - stageOrder(b.toStage),
  );
}

/** A period's figures, compared with the last posted digest's snapshot, with the stale thresholds of `settings`. */
export function digestFiguresFor(
  prisma: CrmPrisma,
  settings: Pick<SettingValues, 'stale_thresholds' | 'rhythm_factors' | 'digest_schedule'>,
  period: { from: Date; to: Date },
  now: Date,
): Promise<DigestFigures> {
  // A dozen aggregates over the whole book: off the event loop.
  return bulkReads(() => figuresFor(prisma, settings, period, now));
}

async function figuresFor(
  prisma: CrmPrisma,
  settings: Pick<SettingValues, 'stale_thresholds' | 'rhythm_factors' | 'digest_schedule'>,
  period: { from: Date; to: Date },
  now: Date,
): Promise<DigestFigures> {
  const previous = await loadLastSnapshot(prisma);
  const [figures, rhythm] = await Promise.all([
    computeDigestFigures(prisma, {
      from: period.from,
      to: period.to,
      now,
      staleThresholds: settings.stale_thresholds,
      previous,
    }),
    rhythmFigures(prisma, settings.rhythm_factors, settings.digest_schedule.timeZone, now),
  ]);
  return { ...figures, ...rhythm };
}
