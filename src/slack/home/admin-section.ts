import type { KnownBlock } from '@slack/types';
import type { AppDeps } from '../../deps';
import { canAdminister, type Viewer } from '../viewer';
import { getAllSettings, latestAuditEntries } from '../../domain/settings';
import { listRates } from '../../domain/rates';
import { ROLES, type Role } from '../../domain/roster';
import { buildAdminHomeSection, ADMIN_SECTION_MAX_BLOCKS } from '../views/admin-home';

/** Audit lines shown on Home; the full trail stays in AuditEntry. */
export const HOME_AUDIT_ENTRIES = 8;

/** The Admin section of the Home tab: empty for anyone but an admin. */
export async function loadAdminHomeSection(deps: AppDeps, viewer: Viewer): Promise<KnownBlock[]> {
  if (!canAdminister(viewer)) return [];
  const { prisma } = deps.db;
  const [settings, rates, roleGroups, audit] = await Promise.all([
    getAllSettings(prisma, deps.config),
    listRates(prisma),
    prisma.rosterMember.groupBy({ by: ['role'], _count: { _all: true } }),
    latestAuditEntries(prisma, HOME_AUDIT_ENTRIES),
  ]);
  const rosterCounts = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<Role, number>;
  for (const g of roleGroups) if (g.role in rosterCounts) rosterCounts[g.role as Role] = g._count._all;
  const dates = rates.map((r) => r.rateDate.getTime());
  return buildAdminHomeSection({
    settings,
    rates: {
      count: rates.length,
      oldestRateDate: dates.length ? new Date(Math.min(...dates)) : null,
      newestRateDate: dates.length ? new Date(Math.max(...dates)) : null,
    },
    rosterCounts,
    audit,
    timeZone: viewer.timeZone,
  }).slice(0, ADMIN_SECTION_MAX_BLOCKS);
}
