import type { CrmPrisma } from '../db/client';
import { type ActivityEntry, activityEntrySelect, getLeadSummary, type LeadSummary } from './leads';

/**
 * What changed on a lead since a version someone saw: each change made through leads.ts bumps
 * Lead.version by one and writes one Activity row of these kinds (follow-ups and the sync's
 * `created` row do not bump it), so the last (current - seen) rows of these kinds are the changes.
 */
const VERSIONED_KINDS = ['stage_change', 'owner_change', 'note', 'contact_change', 'touch'];

export interface ChangesSince {
  /** The lead as it is now (its version is the one a form should carry next). */
  lead: LeadSummary;
  /** The changes after the seen version, newest first. */
  changes: ActivityEntry[];
}

export async function changesSince(prisma: CrmPrisma, leadId: number, seenVersion: number): Promise<ChangesSince> {
  const lead = await getLeadSummary(prisma, leadId);
  const missed = Math.max(0, lead.version - seenVersion);
  const changes =
    missed === 0
      ? []
      : await prisma.activity.findMany({
          where: { leadId, kind: { in: VERSIONED_KINDS } },
          orderBy: { id: 'desc' },
          take: missed,
          select: activityEntrySelect,
        });
  return { lead, changes };
}
