import { splitList } from '../common/lists';
import { factorPermille } from '../common/setting-schemas';
import type { StageSlug } from '../common/stages';
import { weakMemo } from '../common/weak-memo';
import { formatLocalDate, localDayBounds, MS_PER_DAY } from '../common/zoned-time';
import type { CrmPrisma } from '../db/client';
import {
  dueFollowUps,
  lapsedAccounts,
  type RankedRow,
  stageSuggestionRows,
  type TodayScope,
  uncontactedSince,
} from '../db/today-queries';
import { uncontactedSince as orderedSince, type VersionedShare } from './pipeline';
import { type OrderRhythm, type RhythmState, rhythmState, usualOrderValue } from './rhythm';
import type { RhythmFactors } from './settings';

/**
 * "Who to call today" for one reader: their follow-ups due today or overdue, their accounts
 * overdue or at risk by value at risk, the leads that ordered lately and were never
 * contacted, and the stage changes the facts suggest. Read from the CRM database only, a few
 * rows per owner (see db/today-queries.ts), so it costs the same for 50,000 customers.
 */

/** "Ordered lately": an order in this many days. */
export const RECENT_ORDER_DAYS = 14;

export interface TodayReader {
  userId: string;
  /** The reader's time zone: it decides what "today" is. */
  timeZone: string;
  /** Managers (and admins): everyone's, grouped by owner. */
  team: boolean;
  /** May take unowned leads (can change leads): they appear in their own list. */
  mayTakeUnowned: boolean;
  /**
   * Known already (Home's first read): false when no lead is theirs, or no follow-up of
   * theirs is active, so their own lists of those are empty and not read. Unknown: read.
   */
  ownsLeads?: boolean;
  hasFollowUps?: boolean;
}

export interface TodayLead {
  leadId: number;
  ownerId: string | null;
  customerId: string;
  name: string;
  company: string | null;
  stage: string;
}

export interface TodayFollowUp extends TodayLead {
  alertId: number;
  message: string;
  dueAt: Date;
  overdue: boolean;
}

export interface TodayAccount extends TodayLead {
  state: Exclude<RhythmState, 'on_track' | 'due'>;
  valueAtRiskCents: bigint;
  unknownCurrencies: string[];
  lastOrderAt: Date;
  expectedAt: Date;
  intervalDays: number;
}

export interface TodayUncontacted extends TodayLead {
  lifetimeUsdCents: bigint;
  unknownCurrencies: string[];
  lastOrderAt: Date;
}

export type SuggestionKind = 'repeat_order' | 'at_risk' | 'ordered_again';

/** The stage each suggestion proposes. */
export const SUGGESTED_STAGE: Record<SuggestionKind, StageSlug> = {
  repeat_order: 'active_account',
  at_risk: 'churned',
  ordered_again: 'active_account',
};

export interface StageSuggestion extends TodayLead {
  kind: SuggestionKind;
  toStage: StageSlug;
  orderCount: number;
  lastOrderAt: Date | null;
  /** The facts it rests on: a dismissal holds while they are the same. */
  facts: string;
}

export interface Counted<T> {
  items: T[];
  total: number;
}

export interface TodayData {
  now: Date;
  /** The reader's local date, "YYYY-MM-DD". */
  day: string;
  timeZone: string;
  team: boolean;
  /** False when no customer has an order rhythm (the Customers question lacks first_order_at). */
  rhythmKnown: boolean;
  followUps: Counted<TodayFollowUp>;
  accounts: Counted<TodayAccount> & { valueAtRiskCents: bigint };
  uncontacted: Counted<TodayUncontacted> & { days: number };
  suggestions: Counted<StageSuggestion>;
  /** Per owner ('' for unowned): how many of each, for the team view's headings. */
  owners: OwnerCounts[];
}

export interface OwnerCounts {
  ownerId: string | null;
  followUps: number;
  accounts: number;
  valueAtRiskCents: bigint;
  uncontacted: number;
  suggestions: number;
}

export interface TodayOptions {
  /** Rows per owner in each list (personal: the list's length; team: per person). */
  perOwner: number;
  factors: RhythmFactors;
  /**
   * What readers of one data version share (domain/pipeline.ts): the team's lists and the
   * unowned leads' are the same for everyone asking that day, so one reader reads them and
   * the others opening Home meanwhile reuse them. Without it every list is read afresh.
   */
  share?: VersionedShare;
}

/** The facts a suggestion rests on, as stored with a dismissal (see SuggestionDismissal). */
export function suggestionFacts(orderCount: number): string {
  return String(orderCount);
}

function lead(r: Pick<RankedRow, 'leadId' | 'ownerId' | 'customerId' | 'name' | 'company' | 'stage'>): TodayLead {
  return {
    leadId: r.leadId,
    ownerId: r.ownerId,
    customerId: r.customerId,
    name: r.name,
    company: r.company,
    stage: r.stage,
  };
}

function rhythmOf(r: RankedRow): OrderRhythm | null {
  return r.rhythmIntervalMs !== null && r.rhythmNextMs !== null
    ? { intervalMs: r.rhythmIntervalMs, nextMs: r.rhythmNextMs }
    : null;
}

/** Below every epoch millisecond a rhythm can hold. */
const MIN_BIGINT = -(2n ** 63n) + 1n;

/** Sum of each owner's count (every row carries its owner's). */
function totalOf(rows: { ownerId: string | null; ownerCount: number }[]): number {
  const seen = new Map<string, number>();
  for (const r of rows) seen.set(r.ownerId ?? '', r.ownerCount);
  let n = 0;
  for (const c of seen.values()) n += c;
  return n;
}

/**
 * The item made of a row, per row object and `key` (every other input the item depends on):
 * the team's and the unowned leads' rows are shared by the readers of a data version, so each
 * reader gets the same items, and the views reuse the lines built of them (slack/views/block-memo.ts).
 * Weak: the items go with the rows.
 */
const itemsOfRows = weakMemo<object, unknown>();
const itemOf = <T>(row: object, key: string, make: () => T): T => itemsOfRows(row, key, make) as T;

export async function loadToday(
  prisma: CrmPrisma,
  reader: TodayReader,
  now: Date,
  options: TodayOptions,
): Promise<TodayData> {
  const { day, start, end } = localDayBounds(now, reader.timeZone);
  const startMs = BigInt(start.getTime());
  const permille = factorPermille(options.factors);
  const perOwner = options.perOwner;
  // From the start of the hour (as the pipeline's "uncontacted" filter): readers within the hour share the answer.
  const since = orderedSince(now, RECENT_ORDER_DAYS);
  const share = options.share;
  const shared = <T>(key: unknown[], compute: () => Promise<T>): Promise<T> =>
    share ? share.get(JSON.stringify(['today', ...key, startMs.toString(), perOwner]), compute) : compute();
  /**
   * One ranked list for this reader: the team's (shared); their own; or their own and the
   * unowned leads' (shared), merged in the order one query would give: owners by their
   * total, highest first, each owner's rows by rank (the reader's own first on a tie).
   */
  const rankedFor = <R extends { ownerValue: bigint }>(
    list: string,
    read: (scope: TodayScope) => Promise<R[]>,
  ): Promise<R[]> => {
    if (reader.team) return shared([list, 'team'], () => read({ team: true }));
    const own = reader.ownsLeads === false ? Promise.resolve([]) : read({ ownerId: reader.userId, withUnowned: false });
    if (!reader.mayTakeUnowned) return own;
    return Promise.all([own, shared([list, 'unowned'], () => read({ unowned: true }))]).then(([mine, unowned]) =>
      mine.length && unowned.length && unowned[0]!.ownerValue > mine[0]!.ownerValue
        ? [...unowned, ...mine]
        : [...mine, ...unowned],
    );
  };
  const personal: TodayScope = reader.team ? { team: true } : { ownerId: reader.userId, withUnowned: false };
  const [followRows, accountRows, uncontactedRows, suggestionRows, rhythmKnown] = await Promise.all([
    // Follow-ups always have an owner: a person's own are few (indexed by owner).
    reader.team
      ? shared(['follow_ups', 'team', end.getTime()], () => dueFollowUps(prisma, personal, { before: end, perOwner }))
      : reader.hasFollowUps === false
        ? []
        : dueFollowUps(prisma, personal, { before: end, perOwner }),
    rankedFor(`accounts:${permille.overdue}`, (scope) =>
      lapsedAccounts(prisma, scope, { startOfTodayMs: startMs, factorPermille: permille.overdue, perOwner }),
    ),
    rankedFor(`uncontacted:${since.getTime()}`, (scope) => uncontactedSince(prisma, scope, { since, perOwner })),
    rankedFor(`suggestions:${permille.atRisk}`, (scope) =>
      stageSuggestionRows(prisma, scope, { startOfTodayMs: startMs, atRiskPermille: permille.atRisk, perOwner }),
    ),
    shared(['rhythm_known'], () =>
      prisma.customerFigures
        // A range on the indexed column: IS NOT NULL would read every customer when none has a rhythm.
        .findFirst({ where: { rhythmNextMs: { gt: MIN_BIGINT } }, select: { customerId: true } })
        .then((r) => r !== null),
    ),
  ]);

  // A shared row gives the same item to every reader (itemOf), so the views can reuse its lines.
  const followUpKey = `follow_up:${start.getTime()}`;
  const followUps = followRows.map((r) =>
    itemOf(
      r,
      followUpKey,
      (): TodayFollowUp => ({
        leadId: r.leadId,
        ownerId: r.ownerId,
        customerId: '',
        name: r.name,
        company: r.company,
        stage: '',
        alertId: r.alertId,
        message: r.message,
        dueAt: r.nextDueAt,
        overdue: r.nextDueAt.getTime() < start.getTime(),
      }),
    ),
  );
  const accountKey = `account:${permille.overdue}:${permille.atRisk}:${startMs}`;
  const accounts = accountRows.map((r) =>
    itemOf(r, accountKey, (): TodayAccount => {
      const rhythm = rhythmOf(r)!;
      const state = rhythmState(rhythm, permille, startMs);
      return {
        ...lead(r),
        state: state === 'at_risk' ? 'at_risk' : 'overdue',
        valueAtRiskCents: usualOrderValue(r.lifetimeUsdCents, r.orderCount) ?? 0n,
        unknownCurrencies: splitList(r.unknownCurrencies),
        lastOrderAt: r.lastOrderAt!,
        expectedAt: new Date(Number(rhythm.nextMs)),
        intervalDays: Math.max(1, Math.round(Number(rhythm.intervalMs) / MS_PER_DAY)),
      };
    }),
  );
  const uncontacted = uncontactedRows.map((r) =>
    itemOf(
      r,
      'uncontacted',
      (): TodayUncontacted => ({
        ...lead(r),
        lifetimeUsdCents: r.lifetimeUsdCents,
        unknownCurrencies: splitList(r.unknownCurrencies),
        lastOrderAt: r.lastOrderAt!,
      }),
    ),
  );
  const suggestions = suggestionRows.map((r) =>
    itemOf(r, 'suggestion', (): StageSuggestion => {
      const kind = r.kind as SuggestionKind;
      return {
        ...lead(r),
        kind,
        toStage: SUGGESTED_STAGE[kind],
        orderCount: r.orderCount,
        lastOrderAt: r.lastOrderAt,
        facts: suggestionFacts(r.orderCount),
      };
    }),
  );

  const owners = new Map<string, OwnerCounts>();
  const ownerOf = (id: string | null) => {
    let o = owners.get(id ?? '');
    if (!o) {
      o = { ownerId: id, followUps: 0, accounts: 0, valueAtRiskCents: 0n, uncontacted: 0, suggestions: 0 };
      owners.set(id ?? '', o);
    }
    return o;
  };
  for (const r of followRows) ownerOf(r.ownerId).followUps = r.ownerCount;
  for (const r of accountRows) {
    const o = ownerOf(r.ownerId);
    o.accounts = r.ownerCount;
    o.valueAtRiskCents = r.ownerValue;
  }
  for (const r of uncontactedRows) ownerOf(r.ownerId).uncontacted = r.ownerCount;
  for (const r of suggestionRows) ownerOf(r.ownerId).suggestions = r.ownerCount;
  const ownerList = [...owners.values()].sort(
    (a, b) =>
      Number(b.valueAtRiskCents - a.valueAtRiskCents) ||
      b.followUps + b.accounts + b.uncontacted - (a.followUps + a.accounts + a.uncontacted) ||
      (a.ownerId ?? '~').localeCompare(b.ownerId ?? '~'),
  );

  return {
    now,
    day: formatLocalDate(day),
    timeZone: reader.timeZone,
    team: reader.team,
    rhythmKnown,
    followUps: { items: followUps, total: totalOf(followRows) },
    accounts: {
      items: accounts,
      total: totalOf(accountRows),
      valueAtRiskCents: [...owners.values()].reduce((s, o) => s + o.valueAtRiskCents, 0n),
    },
    uncontacted: { items: uncontacted, total: totalOf(uncontactedRows), days: RECENT_ORDER_DAYS },
    suggestions: { items: suggestions, total: totalOf(suggestionRows) },
    owners: ownerList,
  };
}

/** Nothing to act on: the agenda DM is skipped. */
export function isTodayEmpty(t: TodayData): boolean {
  return t.followUps.total + t.accounts.total + t.uncontacted.total + t.suggestions.total === 0;
}
