import type { CrmPrisma } from '../db/client';

export interface LeadMatch {
  leadId: number;
  customerId: string;
  name: string;
  company: string | null;
  stage: string;
  ownerId: string | null;
  lifetimeUsdCents: bigint;
}

export type LeadResolution =
  | { kind: 'found'; lead: LeadMatch }
  | { kind: 'ambiguous'; candidates: LeadMatch[]; total: number }
  | { kind: 'none' };

const toMatch = (l: {
  id: number;
  customerId: string;
  stage: string;
  ownerId: string | null;
  customer: { name: string; company: string | null; lifetimeUsdCents: bigint };
}): LeadMatch => ({
  leadId: l.id,
  customerId: l.customerId,
  name: l.customer.name,
  company: l.customer.company,
  stage: l.stage,
  ownerId: l.ownerId,
  lifetimeUsdCents: l.customer.lifetimeUsdCents,
});

const leadSelect = {
  id: true,
  customerId: true,
  stage: true,
  ownerId: true,
  customer: { select: { name: true, company: true, lifetimeUsdCents: true } },
} as const;

/**
 * Resolves what a user typed to one lead: an exact customer id, else an exact name
 * (case-insensitive), else a single partial match of name, company, e-mail or id.
 */
export async function resolveLead(prisma: CrmPrisma, text: string, limit = 10): Promise<LeadResolution> {
  const q = text.trim();
  if (!q) return { kind: 'none' };
  const byId = await prisma.lead.findUnique({ where: { customerId: q }, select: leadSelect });
  if (byId) return { kind: 'found', lead: toMatch(byId) };
  const needle = q.toLowerCase();
  const where = { customer: { searchText: { contains: needle } } };
  const [rows, total] = await Promise.all([
    prisma.lead.findMany({ where, select: leadSelect, orderBy: { customer: { lifetimeUsdCents: 'desc' } }, take: Math.max(limit, 50) }),
    prisma.lead.count({ where }),
  ]);
  if (rows.length === 0) return { kind: 'none' };
  const exact = rows.filter((r) => r.customer.name.toLowerCase() === needle);
  if (exact.length === 1) return { kind: 'found', lead: toMatch(exact[0]!) };
  if (total === 1) return { kind: 'found', lead: toMatch(rows[0]!) };
  return { kind: 'ambiguous', candidates: rows.slice(0, limit).map(toMatch), total };
}
