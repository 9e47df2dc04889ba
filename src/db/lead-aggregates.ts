import type { Prisma } from '../generated/sqlite/client';
import { type CrmPrisma, withProviderClient } from './client';

/**
 * Counts, sums and date ranges over leads, their customers' figures and their activity,
 * grouped or summed in the database. Prisma's `groupBy` and `aggregate` are typed by each
 * generated client's own filter types, so each query is written once per provider (the
 * same call) against that provider's client (client.ts `withProviderClient`).
 */

/** How many leads match `where`, per stage. */
export async function countLeadsByStage(prisma: CrmPrisma, where: Prisma.LeadWhereInput): Promise<Map<string, number>> {
  const groups = await withProviderClient(prisma, {
    sqlite: (c) => c.lead.groupBy({ by: ['stage'], where, _count: { _all: true } }),
    postgres: (c) => c.lead.groupBy({ by: ['stage'], where, _count: { _all: true } }),
  });
  return new Map(groups.map((g) => [g.stage, g._count._all]));
}

/** How many leads match `where`, per owner (null: unowned). */
export async function countLeadsByOwner(
  prisma: CrmPrisma,
  where: Prisma.LeadWhereInput,
): Promise<Map<string | null, number>> {
  const groups = await withProviderClient(prisma, {
    sqlite: (c) => c.lead.groupBy({ by: ['ownerId'], where, _count: { _all: true } }),
    postgres: (c) => c.lead.groupBy({ by: ['ownerId'], where, _count: { _all: true } }),
  });
  return new Map(groups.map((g) => [g.ownerId, g._count._all]));
}

/** How many customers match `where`, and the sum of their lifetime USD cents (0 for none). */
export async function sumLifetimeUsd(
  prisma: CrmPrisma,
  where: Prisma.CustomerFiguresWhereInput,
): Promise<{ customers: number; usdCents: bigint }> {
  const agg = await withProviderClient(prisma, {
    sqlite: (c) => c.customerFigures.aggregate({ where, _sum: { lifetimeUsdCents: true }, _count: { _all: true } }),
    postgres: (c) => c.customerFigures.aggregate({ where, _sum: { lifetimeUsdCents: true }, _count: { _all: true } }),
  });
  return { customers: agg._count._all, usdCents: agg._sum.lifetimeUsdCents ?? 0n };
}

/** The oldest and newest rate date of the customers matching `where` (null for none). */
export async function rateDateRange(
  prisma: CrmPrisma,
  where: Prisma.CustomerFiguresWhereInput,
): Promise<{ oldest: Date | null; newest: Date | null }> {
  const agg = await withProviderClient(prisma, {
    sqlite: (c) => c.customerFigures.aggregate({ where, _min: { rateDate: true }, _max: { rateDate: true } }),
    postgres: (c) => c.customerFigures.aggregate({ where, _min: { rateDate: true }, _max: { rateDate: true } }),
  });
  return { oldest: agg._min.rateDate, newest: agg._max.rateDate };
}

export interface ActivityPathCount {
  fromValue: string | null;
  toValue: string | null;
  count: number;
}

/** How many activities match `where`, per pair of from and to values (e.g. stage changes per path). */
export async function countActivityPaths(
  prisma: CrmPrisma,
  where: Prisma.ActivityWhereInput,
): Promise<ActivityPathCount[]> {
  const groups = await withProviderClient(prisma, {
    sqlite: (c) => c.activity.groupBy({ by: ['fromValue', 'toValue'], where, _count: { _all: true } }),
    postgres: (c) => c.activity.groupBy({ by: ['fromValue', 'toValue'], where, _count: { _all: true } }),
  });
  return groups.map((g) => ({ fromValue: g.fromValue, toValue: g.toValue, count: g._count._all }));
}

/**
 * The currencies of the customer totals matching `where`, sorted: grouped in the database
 * (Prisma's `distinct` reads every matching row and drops the repeats in memory).
 */
export async function currenciesOfTotals(
  prisma: CrmPrisma,
  where: Prisma.CustomerCurrencyTotalWhereInput,
): Promise<string[]> {
  const groups = await withProviderClient(prisma, {
    sqlite: (c) => c.customerCurrencyTotal.groupBy({ by: ['currency'], where, orderBy: { currency: 'asc' } }),
    postgres: (c) => c.customerCurrencyTotal.groupBy({ by: ['currency'], where, orderBy: { currency: 'asc' } }),
  });
  return groups.map((g) => g.currency);
}
