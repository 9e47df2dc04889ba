import { splitList } from '../common/lists';
import type { CrmPrisma } from '../db/client';
import { sumLifetimeUsd } from '../db/lead-aggregates';
import { type LeadMatch, toLeadMatch } from './lead-search';

/**
 * "Which B2B customers ordered in the last N days but haven't been contacted?": leads whose
 * customer has an order in the window (CustomerFigures.lastOrderAt) and no human touch ever
 * (Lead.lastTouchAt null), biggest lifetime USD first.
 */

export const DEFAULT_UNCONTACTED_DAYS = 90;
export const MAX_UNCONTACTED_DAYS = 3650;

export interface UncontactedLead extends LeadMatch {
  unknownCurrencies: string[];
  lastOrderAt: Date;
  markets: string[];
}

export interface UncontactedResult {
  leads: UncontactedLead[];
  total: number;
  totalUsdCents: bigint;
  days: number;
  since: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function findUncontacted(
  prisma: CrmPrisma,
  options: { days: number; now: Date; limit?: number },
): Promise<UncontactedResult> {
  const since = new Date(options.now.getTime() - options.days * DAY_MS);
  const where = { lastTouchAt: null, customer: { lastOrderAt: { gte: since } } };
  const [rows, total, sum] = await Promise.all([
    prisma.lead.findMany({
      where,
      include: { customer: true },
      orderBy: [{ customer: { lifetimeUsdCents: 'desc' } }, { id: 'asc' }],
      take: options.limit ?? 20,
    }),
    prisma.lead.count({ where }),
    sumLifetimeUsd(prisma, { lead: { lastTouchAt: null }, lastOrderAt: { gte: since } }),
  ]);
  return {
    leads: rows.map((l) => ({
      ...toLeadMatch(l),
      unknownCurrencies: splitList(l.customer.unknownCurrencies),
      lastOrderAt: l.customer.lastOrderAt!,
      markets: splitList(l.customer.markets),
    })),
    total,
    totalUsdCents: sum.usdCents,
    days: options.days,
    since,
  };
}
