import { splitList } from '../common/lists';
import { distinctRates, type RateUsed, rateProblem } from '../common/money';
import { factorPermille, type RhythmFactors } from '../common/setting-schemas';
import type { StageLabels } from '../common/stages';
import { localDayBounds } from '../common/zoned-time';
import type { AppConfig } from '../config';
import type { CrmPrisma } from '../db/client';
import { stageSuggestionRows } from '../db/today-queries';
import { type ActivityEntry, activityEntrySelect, contactOf, type LeadContact, LeadNotFoundError } from './leads';
import { getSetting, loadStageLabels } from './settings';
import { type StageSuggestion, SUGGESTED_STAGE, type SuggestionKind, suggestionFacts } from './who-to-call';

/**
 * Everything the lead card shows, read in one place: the lead and its customer's figures,
 * the rates those figures are kept at, its latest notes and activity, the stage labels, and
 * the stage suggestion its facts make for the viewer's day.
 */

/** What the lead card shows. */
export interface LeadCardData {
  leadId: number;
  customerId: string;
  name: string;
  company: string | null;
  email: string | null;
  phone: string | null;
  markets: string[];
  stage: string;
  ownerId: string | null;
  contact: LeadContact;
  orderCount: number;
  lifetimeUsdCents: bigint;
  /** Currencies left out of the USD figure (it is then a lower bound). */
  unknownCurrencies: string[];
  rateDate: Date | null;
  /**
   * The current rate of each currency the customer bought in (by currency, USD at 1 left
   * out): the rates the lifetime value is kept at, since a rate change revalues it.
   */
  rates: RateUsed[];
  lastOrderAt: Date | null;
  lastTouchAt: Date | null;
  version: number;
  /** The latest notes (notes and logged touches with text), newest first. */
  recentNotes: ActivityEntry[];
  /** The latest activity of every kind, newest first. */
  recentActivity: ActivityEntry[];
  activityCount: number;
}

/** The lead card for a viewer in `timeZone` at `now`: its data, the stage labels and its suggestion (if any). */
export async function loadLeadCard(
  prisma: CrmPrisma,
  config: AppConfig,
  leadId: number,
  viewer: { now: Date; timeZone: string },
): Promise<{ card: LeadCardData; labels: StageLabels; suggestion: StageSuggestion | null }> {
  const [card, labels, factors] = await Promise.all([
    getLeadCard(prisma, leadId),
    loadStageLabels(prisma),
    getSetting(prisma, config, 'rhythm_factors'),
  ]);
  const suggestion = await suggestionForLead(prisma, leadId, viewer.now, viewer.timeZone, factors);
  return { card, labels, suggestion };
}

/** The card's data without its suggestion (a card opened from a follow-up DM shows none). */
export async function getLeadCard(
  prisma: CrmPrisma,
  leadId: number,
  options: { notes?: number; activity?: number } = {},
): Promise<LeadCardData> {
  const lead = await prisma.lead.findUnique({ where: { id: leadId }, include: { customer: true } });
  if (!lead) throw new LeadNotFoundError(leadId);
  const [recentNotes, recentActivity, activityCount, rates] = await Promise.all([
    prisma.activity.findMany({
      where: { leadId, kind: { in: ['note', 'touch'] }, text: { not: null } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: options.notes ?? 3,
      select: activityEntrySelect,
    }),
    prisma.activity.findMany({
      where: { leadId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: options.activity ?? 5,
      select: activityEntrySelect,
    }),
    prisma.activity.count({ where: { leadId } }),
    ratesOfCustomer(prisma, lead.customerId),
  ]);
  const c = lead.customer;
  return {
    leadId: lead.id,
    customerId: lead.customerId,
    name: c.name,
    company: c.company,
    email: c.email,
    phone: c.phone,
    markets: splitList(c.markets),
    stage: lead.stage,
    ownerId: lead.ownerId,
    contact: contactOf(lead),
    orderCount: c.orderCount,
    lifetimeUsdCents: c.lifetimeUsdCents,
    unknownCurrencies: splitList(c.unknownCurrencies),
    rateDate: c.rateDate,
    rates,
    lastOrderAt: c.lastOrderAt,
    lastTouchAt: lead.lastTouchAt,
    version: lead.version,
    recentNotes,
    recentActivity,
    activityCount,
  };
}

/**
 * The current rate of each currency the customer bought in, by currency. A stored value
 * that is not a valid rate (edited by hand in the database) is left out, as everywhere.
 */
async function ratesOfCustomer(prisma: CrmPrisma, customerId: string): Promise<RateUsed[]> {
  const currencies = await prisma.customerCurrencyTotal.findMany({ where: { customerId }, select: { currency: true } });
  const rows = await prisma.currencyRate.findMany({
    where: { currency: { in: currencies.map((c) => c.currency) } },
    select: { currency: true, usdPerUnit: true, rateDate: true },
    orderBy: { currency: 'asc' },
  });
  return distinctRates(rows.filter((r) => rateProblem(r.usdPerUnit) === null));
}

/** The suggestion the facts make for one lead now (null: none, or dismissed on the same facts). */
async function suggestionForLead(
  prisma: CrmPrisma,
  leadId: number,
  now: Date,
  timeZone: string,
  factors: RhythmFactors,
): Promise<StageSuggestion | null> {
  const { start } = localDayBounds(now, timeZone);
  const [row] = await stageSuggestionRows(
    prisma,
    { leadId },
    { startOfTodayMs: BigInt(start.getTime()), atRiskPermille: factorPermille(factors).atRisk, perOwner: 1 },
  );
  if (!row) return null;
  const kind = row.kind as SuggestionKind;
  return {
    leadId: row.leadId,
    ownerId: row.ownerId,
    customerId: row.customerId,
    name: row.name,
    company: row.company,
    stage: row.stage,
    kind,
    toStage: SUGGESTED_STAGE[kind],
    orderCount: row.orderCount,
    lastOrderAt: row.lastOrderAt,
    facts: suggestionFacts(row.orderCount),
  };
}
