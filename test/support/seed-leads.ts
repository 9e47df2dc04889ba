import type { CrmPrisma } from '../../src/db/client';

/** Seeds a customer and its lead straight into the CRM database (tests of lead workflows). */
export interface LeadSeed {
  customerId: string;
  name: string;
  company?: string | null;
  email?: string | null;
  phone?: string | null;
  markets?: string;
  orderCount?: number;
  lifetimeUsdCents?: bigint;
  unknownCurrencies?: string;
  lastOrderAt?: Date | null;
  rateDate?: Date | null;
  stage?: string;
  ownerId?: string | null;
  lastTouchAt?: Date | null;
  /** Per-currency lifetime totals (minor units), as the sync stores them. */
  currencies?: { currency: string; lifetimeMinor: bigint; market?: string; orderCount?: number }[];
}

export async function seedLead(prisma: CrmPrisma, s: LeadSeed): Promise<number> {
  const searchText = [s.name, s.company ?? '', s.email ?? '', s.customerId].join(' ').toLowerCase();
  await prisma.customerFigures.create({
    data: {
      customerId: s.customerId,
      name: s.name,
      company: s.company ?? null,
      email: s.email ?? null,
      phone: s.phone ?? null,
      markets: s.markets ?? 'AE',
      orderCount: s.orderCount ?? 1,
      lifetimeUsdCents: s.lifetimeUsdCents ?? 100_00n,
      unknownCurrencies: s.unknownCurrencies ?? '',
      lastOrderAt: s.lastOrderAt === undefined ? new Date('2026-11-20T10:00:00Z') : s.lastOrderAt,
      rateDate: s.rateDate === undefined ? new Date('2025-11-24T00:00:00Z') : s.rateDate,
      searchText,
    },
  });
  for (const c of s.currencies ?? []) {
    await prisma.customerCurrencyTotal.create({
      data: {
        customerId: s.customerId,
        currency: c.currency,
        market: c.market ?? 'AE',
        orderCount: c.orderCount ?? 1,
        lifetimeMinor: c.lifetimeMinor,
        lastOrderAt: null,
      },
    });
  }
  const lead = await prisma.lead.create({
    data: {
      customerId: s.customerId,
      stage: s.stage ?? 'lead',
      ownerId: s.ownerId ?? null,
      lastTouchAt: s.lastTouchAt ?? null,
    },
  });
  return lead.id;
}
